/* taint: a byte store to the UART through an address computed from input is denied ("tainted address"), and the
   UART prints nothing; the same byte stored through the UART's clean address is printed. */
#include "policy_test.h"

POLICY_TEST_BEGIN
    li s1, HWGEN_UART_DATA
    lw a0, 0(s1)
    and a0, a0, zero
    add t1, s1, a0
    li t2, '#'
#ifdef FORBIDDEN
forbidden:
    sb t2, 0(t1)
#else
    sb t2, 0(s1)
#endif
    POLICY_PASS
POLICY_TEST_END
