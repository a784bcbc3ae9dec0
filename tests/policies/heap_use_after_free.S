/* heap: a load through a pointer to a released block is denied; before the release it runs. */
#include "policy_test.h"

POLICY_TEST_BEGIN
    la a0, block_a
    li a1, 16
    call malloc
    mv s0, a0
    lw t2, 4(s0)
    mv a0, s0
    li a1, 16
    call free
#ifdef FORBIDDEN
forbidden:
    lw t2, 4(s0)
#endif
    POLICY_PASS
POLICY_TEST_END
POLICY_ALLOCATOR

    .data
    .balign 16
block_a:
    .word 1, 2, 3, 4
