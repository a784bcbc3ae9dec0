/* heap: a load through one block's pointer past its end, into the next block, is denied; in bounds it runs. */
#include "policy_test.h"

POLICY_TEST_BEGIN
    la a0, block_a
    li a1, 16
    call malloc
    mv s0, a0
    la a0, block_b
    li a1, 16
    call malloc
    mv s1, a0
#ifdef FORBIDDEN
forbidden:
    lw t2, 16(s0)
#else
    lw t2, 12(s0)
    sw s0, 0(s1)
    lw s2, 0(s1)
    sw t2, 12(s2)
#endif
    POLICY_PASS
POLICY_TEST_END
POLICY_ALLOCATOR

    .data
    .balign 16
block_a:
    .word 1, 2, 3, 4
block_b:
    .word 5, 6, 7, 8
