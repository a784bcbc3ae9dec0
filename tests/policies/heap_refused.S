/* heap: COLOUR asked by code that is not the allocator's is refused (result 0, nothing coloured). */
#include "policy_test.h"

POLICY_TEST_BEGIN
    la a0, block_a
    li a1, 16
    call not_the_allocator
    mv s0, a0
    la s1, block_a
    lw t2, 4(s1)
    POLICY_PASS
POLICY_TEST_END

    .text
    .balign 4
    .type not_the_allocator, @function
not_the_allocator:
    PEX_CALL(PEX_COLOUR)
    ret
    .size not_the_allocator, . - not_the_allocator

    .data
    .balign 16
block_a:
    .word 1, 2, 3, 4
