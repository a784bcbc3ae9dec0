/* taint: an indirect call through a target computed from input is denied ("tainted jump target"); through a clean one it runs. */
#include "policy_test.h"

POLICY_TEST_BEGIN
    li s1, HWGEN_UART_DATA
    lw a0, 0(s1)
    la t1, target
#ifdef FORBIDDEN
    add t1, t1, a0
forbidden:
#endif
    jalr ra, 0(t1)
    POLICY_PASS
POLICY_TEST_END

    .text
    .balign 4
    .type target, @function
target:
    ret
    .size target, . - target
