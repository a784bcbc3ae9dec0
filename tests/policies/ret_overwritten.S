/* ret: returning through a saved return address that was overwritten is denied; through the saved one it runs. */
#include "policy_test.h"

POLICY_TEST_BEGIN
    call victim
    POLICY_PASS
elsewhere:
    POLICY_FAIL(7)
POLICY_TEST_END

    .text
    .balign 4
    .type victim, @function
victim:
    addi sp, sp, -16
    sw ra, 12(sp)
#ifdef FORBIDDEN
    la t0, elsewhere
    sw t0, 12(sp)
#endif
    lw ra, 12(sp)
    addi sp, sp, 16
forbidden:
    ret
    .size victim, . - victim
