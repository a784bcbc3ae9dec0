/* taint: a load through an address computed from input is denied ("tainted address"); input stored and
   loaded back through clean addresses runs, and stays tainted. */
#include "policy_test.h"

POLICY_TEST_BEGIN
    li s1, HWGEN_UART_DATA
    la s0, buffer
    lw a0, 0(s1)
    add t1, s0, a0
#ifdef FORBIDDEN
forbidden:
    lw t2, 0(t1)
#else
    sw a0, 0(s0)
    lw t2, 0(s0)
    add t3, t2, s0
    mul t4, s0, t2
clean:
    add t5, s0, s0
#endif
    POLICY_PASS
POLICY_TEST_END

    .data
    .balign 4
buffer:
    .word 0, 0
