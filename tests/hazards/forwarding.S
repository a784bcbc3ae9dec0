/*
 * forwarding.S: back-to-back dependencies through every forwarding path of the pipeline
 *
 * A result is read by the next instruction (forwarded from the memory stage), by the one after it
 * (from the writeback stage), and two instructions later (written and read in the same cycle);
 * both sources forwarded at once, from the same or from different stages; the newest producer wins;
 * x0 is never forwarded; store data and store addresses, branch operands and jalr bases forwarded.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* 1-3: rs1 from the memory stage, the writeback stage, the register file */
    TEST_CASE(1, a3, 0x00000008, li a1, 5; addi a2, a1, 3; mv a3, a2)
    TEST_CASE(2, a3, 0x00000009, li a1, 6; addi a2, a1, 3; nop; mv a3, a2)
    TEST_CASE(3, a3, 0x0000000a, li a1, 7; addi a2, a1, 3; nop; nop; mv a3, a2)

    /* 4-6: rs2 from each stage */
    TEST_CASE(4, a3, 0xfffffffb, li a1, 5; li a2, 10; sub a3, a1, a2)
    TEST_CASE(5, a3, 0xfffffff9, li a2, 12; li a1, 5; nop; sub a3, a1, a2)
    TEST_CASE(6, a3, 0xffffff9c, li a2, 105; nop; li a1, 5; nop; nop; sub a3, a1, a2)

    /* 7-10: both sources forwarded: rs1 from memory and rs2 from writeback, the other way round, one producer for both */
    TEST_CASE(7, a4, 0x00000070, li a1, 0x30; li a2, 0x40; add a4, a2, a1)
    TEST_CASE(8, a4, 0xfffffff0, li a1, 0x30; li a2, 0x40; sub a4, a1, a2)
    TEST_CASE(9, a4, 0x00000c00, li a1, 0x30; li a2, 0x40; mul a4, a1, a2)
    TEST_CASE(10, a4, 0x00000064, li a1, 50; add a4, a1, a1)

    /* 11-13: a chain where every instruction reads the one before, and the newest of three writers wins */
    TEST_CASE(11, a1, 0x00000010, li a1, 1; add a1, a1, a1; add a1, a1, a1; add a1, a1, a1; add a1, a1, a1)
    TEST_CASE(12, a3, 0x00000003, li a1, 1; li a1, 2; li a1, 3; mv a3, a1)
    TEST_CASE(13, a3, 0x00000002, li a1, 1; li a1, 2; nop; mv a3, a1)

    /* 14-17: a write to x0 is not forwarded, from any stage, to either source */
    TEST_CASE(14, a3, 0x00000000, li a1, 9; addi x0, a1, 1; mv a3, x0)
    TEST_CASE(15, a3, 0x00000000, li a1, 9; addi x0, a1, 1; nop; add a3, x0, x0)
    TEST_CASE(16, a3, 0x00000000, li a1, 9; addi x0, a1, 1; nop; nop; add a3, x0, x0)
    TEST_CASE(17, a3, 0x00000007, li a1, 7; lui x0, 0x12345; add a3, a1, x0)
    TEST_NUM(18)
    la a1, forwarding_data
    lw x0, 0(a1)
    add a3, x0, x0
    TEST_CHECK(a3, 0)

    /* 19-22: store data forwarded from each stage, and the address too */
    TEST_CASE(19, a4, 0x11223344, la a1, forwarding_data; li a2, 0x11223344; sw a2, 0(a1); lw a4, 0(a1))
    TEST_CASE(20, a4, 0x55667788, la a1, forwarding_data; li a2, 0x55667788; nop; sw a2, 4(a1); lw a4, 4(a1))
    TEST_CASE(21, a4, 0x000000ab, la a1, forwarding_data; li a2, 0xab; nop; nop; sb a2, 8(a1); lbu a4, 8(a1))
    TEST_CASE(22, a4, 0x00001234, li a2, 0x1234; la a1, forwarding_data; addi a1, a1, 12; sh a2, 0(a1); lhu a4, 0(a1))
    /* 23: data and address both from the instruction before */
    TEST_CASE(23, a4, 0x00000066, la a1, forwarding_data; li a2, 0x33; add a2, a2, a2; addi a1, a1, 4; sw a2, 0(a1); lw a4, 0(a1))
    /* 24: a store followed at once by a load of the same word, and an ALU use of the loaded value */
    TEST_CASE(24, a5, 0x00000f00, la a1, forwarding_data; li a2, 0x780; sw a2, 16(a1); lw a4, 16(a1); add a5, a4, a4)

    /* 25-30: branch operands forwarded, taken and not taken, from each stage */
    TEST_NUM(25)
    li a1, 4
    addi a2, a1, 0
    beq a1, a2, 1f
    TEST_FAIL_HERE
1:  TEST_NUM(26)
    li a1, 4
    addi a2, a1, 1
    beq a1, a2, 2f
    j 1f
2:  TEST_FAIL_HERE
1:  TEST_NUM(27)
    li a1, -1
    li a2, 1
    nop
    blt a1, a2, 1f
    TEST_FAIL_HERE
1:  TEST_NUM(28)
    li a1, -1
    li a2, 1
    bltu a1, a2, 2f
    j 1f
2:  TEST_FAIL_HERE
1:  TEST_NUM(29)
    li a1, 3
    nop
    nop
    addi a1, a1, -3
    beqz a1, 1f
    TEST_FAIL_HERE
1:  TEST_NUM(30)
    addi x0, x0, 1
    bnez x0, 2f
    j 1f
2:  TEST_FAIL_HERE
1:

    /* 31-33: jalr's base forwarded from each stage; its link forwarded to the target's first instruction */
    TEST_NUM(31)
    la a1, 1f
    jalr a2, 0(a1)
2:  TEST_FAIL_HERE
1:  la a3, 2b
    TEST_CHECK_REG(a2, a3)
    TEST_NUM(32)
    la a1, 1f - 8
    nop
    jalr x0, 8(a1)
    TEST_FAIL_HERE
1:  TEST_NUM(33)
    jal a2, 1f
2:  TEST_FAIL_HERE
1:  addi a3, a2, 0
    la a4, 2b
    TEST_CHECK_REG(a3, a4)

    /* 34: lui and auipc results forwarded */
    TEST_CASE(34, a3, 0x12345678, lui a1, 0x12345; addi a3, a1, 0x678)
    TEST_NUM(35)
1:  auipc a1, 0
    la a2, 1b
    sub a3, a1, a2
    TEST_CHECK(a3, 0)

TEST_CODE_END

TEST_DATA_BEGIN
forwarding_data:
    .word 0, 0, 0, 0, 0, 0, 0, 0
TEST_DATA_END
