/* nxd-nwc: a store to a word of code is denied ("write to code"); a store to data runs. */
#include "policy_test.h"

POLICY_TEST_BEGIN
    la t1, victim
    la t2, data_word
    li t3, 0x00000013
#ifdef FORBIDDEN
forbidden:
    sw t3, 0(t1)
#else
    sw t3, 0(t2)
    lw t4, 0(t2)
    bne t3, t4, fail
#endif
    POLICY_PASS
fail:
    POLICY_FAIL(7)
victim:
    nop
POLICY_TEST_END

    .data
    .balign 4
data_word:
    .word 0
