/* nxd-nwc: executing a word of data is denied ("execute non-code"); calling code runs. */
#include "policy_test.h"

POLICY_TEST_BEGIN
#ifdef FORBIDDEN
    la t1, forbidden
#else
    la t1, code_function
#endif
    jalr ra, 0(t1)
    POLICY_PASS
POLICY_TEST_END

    .text
    .balign 4
    .type code_function, @function
code_function:
    ret
    .size code_function, . - code_function

    .data
    .balign 4
forbidden:
    ret
