/* cfi: an indirect jump from one function into the middle of another is denied; a jump inside the function
   and a tail call to another function's entry run. */
#include "policy_test.h"

POLICY_TEST_BEGIN
    call leaver
    POLICY_PASS
POLICY_TEST_END

    .text
    .balign 4
    .type leaver, @function
leaver:
#ifdef FORBIDDEN
    la t1, forbidden
    jr t1
#else
    la t1, inside
    jr t1
inside:
    la t1, other
    jr t1
#endif
    .size leaver, . - leaver

    .type other, @function
other:
    nop
forbidden:
    ret
    .size other, . - other
