/* cfi: an indirect call that lands inside a function, not on its entry, is denied; on the entry it runs. */
#include "policy_test.h"

POLICY_TEST_BEGIN
#ifdef FORBIDDEN
    la t1, forbidden
#else
    la t1, callee
#endif
    jalr ra, 0(t1)
    POLICY_PASS
POLICY_TEST_END

    .text
    .balign 4
    .type callee, @function
callee:
    nop
forbidden:
    nop
    ret
    .size callee, . - callee
