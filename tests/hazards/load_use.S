/*
 * load_use.S: the load-use interlock
 *
 * A loaded value read by the very next instruction (the pipeline must stall one cycle) as rs1, as
 * rs2, as both, as store data, as a store or load address, as branch operands, as a jalr base; a
 * branch right after a load that it does not depend on; a load into x0; loads of every size whose
 * sign- or zero-extended value is used at once.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    la s0, load_data

    /* 1-4: the loaded value as rs1, rs2, both, and one instruction later */
    TEST_CASE(1, a3, 0x00000015, lw a1, 0(s0); addi a3, a1, 5)
    TEST_CASE(2, a3, 0xfffffff1, li a2, 1; lw a1, 0(s0); sub a3, a2, a1)
    TEST_CASE(3, a3, 0x00000100, lw a1, 0(s0); mul a3, a1, a1)
    TEST_CASE(4, a3, 0x00000012, lw a1, 0(s0); nop; addi a3, a1, 2)
    /* 5: two loads back to back, the second's value used at once, with the first's */
    TEST_CASE(5, a3, 0x00000024, lw a1, 0(s0); lw a2, 4(s0); add a3, a1, a2)
    /* 6: a load whose base is the value just loaded (pointer chasing) */
    TEST_CASE(6, a3, 0xcafef00d, lw a1, 8(s0); lw a3, 0(a1))
    /* 7-8: the loaded value as store data, and as store address */
    TEST_CASE(7, a4, 0x00000010, lw a1, 0(s0); sw a1, 32(s0); lw a4, 32(s0))
    TEST_CASE(8, a4, 0x00000077, li a2, 0x77; lw a1, 8(s0); sw a2, 4(a1); lw a4, 4(a1))
    /* 9: the loaded byte as store data */
    TEST_CASE(9, a4, 0xffffff80, lb a1, 12(s0); sb a1, 36(s0); lb a4, 36(s0))

    /* 10-13: branch operands just loaded: rs1, rs2, both; taken and not taken */
    TEST_NUM(10)
    li a2, 16
    lw a1, 0(s0)
    beq a1, a2, 1f
    TEST_FAIL_HERE
1:  TEST_NUM(11)
    li a1, 15
    lw a2, 0(s0)
    bge a1, a2, 2f
    j 1f
2:  TEST_FAIL_HERE
1:  TEST_NUM(12)
    lw a1, 0(s0)
    lw a2, 0(s0)
    bne a1, a2, 2f
    j 1f
2:  TEST_FAIL_HERE
1:  TEST_NUM(13)
    lb a1, 12(s0)
    bltz a1, 1f
    TEST_FAIL_HERE
1:

    /* 14-15: a branch right after a load it does not depend on, taken and not taken */
    TEST_NUM(14)
    li a2, 1
    lw a1, 0(s0)
    bnez a2, 1f
    TEST_FAIL_HERE
1:  TEST_CHECK(a1, 0x10)
    TEST_NUM(15)
    lw a1, 4(s0)
    beqz a2, 2f
    addi a3, a1, 1
    j 1f
2:  TEST_FAIL_HERE
1:  TEST_CHECK(a3, 0x15)

    /* 16: a jalr through an address just loaded */
    TEST_NUM(16)
    lw a1, 16(s0)
    jalr a2, 0(a1)
    TEST_FAIL_HERE
load_use_target:
    la a3, load_use_target
    TEST_CHECK_REG(a1, a3)
    la a3, load_use_target - 4
    TEST_CHECK_REG(a2, a3)

    /* 17: a load into x0 does not stall anything into reading a value */
    TEST_CASE(17, a3, 0x00000000, lw x0, 0(s0); add a3, x0, x0)

    /* 18-21: sizes and signs, used at once */
    TEST_CASE(18, a3, 0xffffff81, lb a1, 12(s0); addi a3, a1, 1)
    TEST_CASE(19, a3, 0x00000081, lbu a1, 12(s0); addi a3, a1, 1)
    TEST_CASE(20, a3, 0xffff8001, lh a1, 14(s0); addi a3, a1, 1)
    TEST_CASE(21, a3, 0x00008001, lhu a1, 14(s0); addi a3, a1, 1)

    /* 22: a load-use pair inside a loop: the sum of the words */
    TEST_NUM(22)
    la a1, load_array
    li a2, 8
    li a3, 0
1:  lw a4, 0(a1)
    add a3, a3, a4
    addi a1, a1, 4
    addi a2, a2, -1
    bnez a2, 1b
    TEST_CHECK(a3, 36)

    /* 23: a load-use into a CSR write, read back at once */
    TEST_NUM(23)
    lw a1, 0(s0)
    csrw mscratch, a1
    csrr a3, mscratch
    TEST_CHECK(a3, 0x10)

    /* 24: a store, then a load of the same word used at once as a branch operand */
    TEST_NUM(24)
    li a1, 0x5a
    sw a1, 40(s0)
    lw a2, 40(s0)
    beq a2, a1, 1f
    TEST_FAIL_HERE
1:

TEST_CODE_END

TEST_DATA_BEGIN
load_data:
    .word 0x10                 /*  0 */
    .word 0x14                 /*  4 */
    .word load_pointer         /*  8 */
    .byte 0x80, 0, 0x00, 0x80  /* 12: a negative byte; 14: a negative halfword */
    .word load_use_target      /* 16 */
    .word 0, 0, 0, 0, 0, 0, 0  /* 20..47: scratch */
load_pointer:
    .word 0xcafef00d
    .word 0
load_array:
    .word 1, 2, 3, 4, 5, 6, 7, 8
TEST_DATA_END
