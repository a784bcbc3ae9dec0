/*
 * x0_and_loops.S: the zero register, loops and dependent chains
 *
 * Every kind of instruction that writes x0 leaves it zero, and reading x0 gives zero. Loops
 * exercise branch prediction (a backward branch taken many times, then not taken), and long
 * chains of dependent instructions exercise the forwarding paths.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* writes to x0 are discarded */
    TEST_CASE(1, x0, 0, li a1, 5; addi x0, a1, 1)
    TEST_CASE(2, x0, 0, li a1, 5; add x0, a1, a1)
    TEST_CASE(3, x0, 0, lui x0, 0xabcde)
    TEST_CASE(4, x0, 0, auipc x0, 1)
    TEST_CASE(5, x0, 0, la a1, x0_word; lw x0, 0(a1))
    TEST_CASE(6, x0, 0, csrr x0, mscratch)
    TEST_CASE(7, x0, 0, li a1, 3; li a2, 5; mul x0, a1, a2)
    TEST_CASE(8, x0, 0, jal x0, 1f; 1: nop)
    TEST_CASE(9, a4, 0x00000000, li a1, 9; addi x0, a1, 1; add a4, x0, x0)
    /* a forwarding path must not forward a write to x0 */
    TEST_CASE(10, a4, 0x00000000, li a1, 9; addi x0, a1, 1; addi a4, x0, 0)
    TEST_CASE(11, a4, 0x00000000, la a1, x0_word; lw x0, 0(a1); addi a4, x0, 0)
    TEST_CASE(12, a4, 0x00000001, li a1, 9; addi x0, a1, 1; sltiu a4, x0, 1)

    /* a counted loop: a backward branch taken 99 times */
    TEST_CASE(13, a4, 0x00001356, li a4, 0; li a1, 1; li a2, 100; 1: add a4, a4, a1; addi a1, a1, 1; blt a1, a2, 1b)

    /* nested loops */
    TEST_CASE(14, a4, 0x00000078, li a4, 0; li a1, 0; 1: li a2, 0; 2: addi a4, a4, 1; addi a2, a2, 1; li a3, 8; bltu a2, a3, 2b; addi a1, a1, 1; li a3, 15; bne a1, a3, 1b)

    /* a loop whose branch alternates direction each iteration */
    TEST_CASE(15, a4, 0x00000032, li a4, 0; li a1, 100; 1: andi a2, a1, 1; beqz a2, 2f; addi a4, a4, 1; 2: addi a1, a1, -1; bnez a1, 1b)

    /* a chain of dependent operations, each using the previous result at once */
    TEST_CASE(16, a4, 0x00000006, li a4, 1; add a4, a4, a4; addi a4, a4, 1; slli a4, a4, 2; addi a4, a4, -6)
    TEST_CASE(17, a4, 0x0000000c, li a1, 3; add a2, a1, a1; add a3, a2, a1; add a4, a3, a1)
    TEST_CASE(18, a4, 0x00000054, li a1, 3; mul a2, a1, a1; add a3, a2, a1; mul a4, a3, a2; srli a4, a4, 1; addi a4, a4, 30)

    /* a load feeding a branch, and a branch feeding a load */
    TEST_CASE(19, a4, 0x00000001, la a1, x0_word; li a4, 0; lw a2, 4(a1); bnez a2, 1f; j 2f; 1: li a4, 1; 2: nop)

TEST_CODE_END

TEST_DATA_BEGIN
x0_word:
    .word 0x11111111
    .word 0x00000001
TEST_DATA_END
