/*
 * imm_arith.S: addi, slti, sltiu
 *
 * Register-immediate addition and set-less-than. The 12-bit immediate is sign-extended,
 * also for sltiu, which then compares unsigned.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* addi */
    TEST_IMM_OP(1, addi, 0x00000000, 0x00000000, 0)
    TEST_IMM_OP(2, addi, 0x00000002, 0x00000001, 1)
    TEST_IMM_OP(3, addi, 0x0000000a, 0x00000003, 7)
    TEST_IMM_OP(4, addi, 0xfffff800, 0x00000000, -2048)
    TEST_IMM_OP(5, addi, 0x000007ff, 0x00000000, 2047)
    TEST_IMM_OP(6, addi, 0x80000000, 0x80000000, 0)
    TEST_IMM_OP(7, addi, 0x7ffff800, 0x80000000, -2048)
    TEST_IMM_OP(8, addi, 0x800007fe, 0x7fffffff, 2047)
    TEST_IMM_OP(9, addi, 0x80000000, 0x7fffffff, 1)
    TEST_IMM_OP(10, addi, 0x7fffffff, 0x80000000, -1)
    TEST_IMM_OP(11, addi, 0x00000000, 0xffffffff, 1)
    TEST_IMM_OP(12, addi, 0xfffffffe, 0xffffffff, -1)
    TEST_IMM_OP(13, addi, 0xffffffff, 0x00000000, -1)
    TEST_IMM_OP(14, addi, 0x12345122, 0x12345678, -1366)
    TEST_IMM_OP(15, addi, 0xfffff000, 0xfffff800, -2048)
    TEST_IMM_OP(16, addi, 0x00000ffe, 0x000007ff, 2047)
    TEST_IMM_OP(17, addi, 0x000007ff, 0x00000800, -1)
    TEST_IMM_SRC1_EQ_DEST(18, addi, 0x00ff01ef, 0x00ff00ff, 240)
    TEST_IMM_ZEROSRC1(19, addi, 0xfffffff0, -16)
    TEST_IMM_ZERODEST(20, addi, 0x0abcdef0, -16)
    TEST_IMM_DEST_BYPASS(21, 0, addi, 0x0f00f20e, 0x0f00f00f, 511)
    TEST_IMM_DEST_BYPASS(22, 1, addi, 0x0f00f20f, 0x0f00f010, 511)
    TEST_IMM_DEST_BYPASS(23, 2, addi, 0x0f00f210, 0x0f00f011, 511)
    TEST_IMM_SRC1_BYPASS(24, 0, addi, 0x0f00f20e, 0x0f00f00f, 511)
    TEST_IMM_SRC1_BYPASS(25, 1, addi, 0x0f00f20d, 0x0f00f00e, 511)
    TEST_IMM_SRC1_BYPASS(26, 2, addi, 0x0f00f20c, 0x0f00f00d, 511)

    /* slti */
    TEST_IMM_OP(27, slti, 0x00000000, 0x00000000, 0)
    TEST_IMM_OP(28, slti, 0x00000000, 0x00000001, 1)
    TEST_IMM_OP(29, slti, 0x00000001, 0x00000003, 7)
    TEST_IMM_OP(30, slti, 0x00000000, 0x00000000, -2048)
    TEST_IMM_OP(31, slti, 0x00000001, 0x00000000, 2047)
    TEST_IMM_OP(32, slti, 0x00000001, 0x80000000, 0)
    TEST_IMM_OP(33, slti, 0x00000001, 0x80000000, -2048)
    TEST_IMM_OP(34, slti, 0x00000000, 0x7fffffff, 2047)
    TEST_IMM_OP(35, slti, 0x00000000, 0x7fffffff, 1)
    TEST_IMM_OP(36, slti, 0x00000001, 0x80000000, -1)
    TEST_IMM_OP(37, slti, 0x00000001, 0xffffffff, 1)
    TEST_IMM_OP(38, slti, 0x00000000, 0xffffffff, -1)
    TEST_IMM_OP(39, slti, 0x00000000, 0x00000000, -1)
    TEST_IMM_OP(40, slti, 0x00000000, 0x12345678, -1366)
    TEST_IMM_OP(41, slti, 0x00000000, 0xfffff800, -2048)
    TEST_IMM_OP(42, slti, 0x00000000, 0x000007ff, 2047)
    TEST_IMM_OP(43, slti, 0x00000000, 0x00000800, -1)
    TEST_IMM_SRC1_EQ_DEST(44, slti, 0x00000000, 0x00ff00ff, 240)
    TEST_IMM_ZEROSRC1(45, slti, 0x00000000, -16)
    TEST_IMM_ZERODEST(46, slti, 0x0abcdef0, -16)
    TEST_IMM_DEST_BYPASS(47, 0, slti, 0x00000000, 0x0f00f00f, 511)
    TEST_IMM_DEST_BYPASS(48, 1, slti, 0x00000000, 0x0f00f010, 511)
    TEST_IMM_DEST_BYPASS(49, 2, slti, 0x00000000, 0x0f00f011, 511)
    TEST_IMM_SRC1_BYPASS(50, 0, slti, 0x00000000, 0x0f00f00f, 511)
    TEST_IMM_SRC1_BYPASS(51, 1, slti, 0x00000000, 0x0f00f00e, 511)
    TEST_IMM_SRC1_BYPASS(52, 2, slti, 0x00000000, 0x0f00f00d, 511)

    /* sltiu */
    TEST_IMM_OP(53, sltiu, 0x00000000, 0x00000000, 0)
    TEST_IMM_OP(54, sltiu, 0x00000000, 0x00000001, 1)
    TEST_IMM_OP(55, sltiu, 0x00000001, 0x00000003, 7)
    TEST_IMM_OP(56, sltiu, 0x00000001, 0x00000000, -2048)
    TEST_IMM_OP(57, sltiu, 0x00000001, 0x00000000, 2047)
    TEST_IMM_OP(58, sltiu, 0x00000000, 0x80000000, 0)
    TEST_IMM_OP(59, sltiu, 0x00000001, 0x80000000, -2048)
    TEST_IMM_OP(60, sltiu, 0x00000000, 0x7fffffff, 2047)
    TEST_IMM_OP(61, sltiu, 0x00000000, 0x7fffffff, 1)
    TEST_IMM_OP(62, sltiu, 0x00000001, 0x80000000, -1)
    TEST_IMM_OP(63, sltiu, 0x00000000, 0xffffffff, 1)
    TEST_IMM_OP(64, sltiu, 0x00000000, 0xffffffff, -1)
    TEST_IMM_OP(65, sltiu, 0x00000001, 0x00000000, -1)
    TEST_IMM_OP(66, sltiu, 0x00000001, 0x12345678, -1366)
    TEST_IMM_OP(67, sltiu, 0x00000000, 0xfffff800, -2048)
    TEST_IMM_OP(68, sltiu, 0x00000000, 0x000007ff, 2047)
    TEST_IMM_OP(69, sltiu, 0x00000001, 0x00000800, -1)
    TEST_IMM_SRC1_EQ_DEST(70, sltiu, 0x00000000, 0x00ff00ff, 240)
    TEST_IMM_ZEROSRC1(71, sltiu, 0x00000001, -16)
    TEST_IMM_ZERODEST(72, sltiu, 0x0abcdef0, -16)
    TEST_IMM_DEST_BYPASS(73, 0, sltiu, 0x00000000, 0x0f00f00f, 511)
    TEST_IMM_DEST_BYPASS(74, 1, sltiu, 0x00000000, 0x0f00f010, 511)
    TEST_IMM_DEST_BYPASS(75, 2, sltiu, 0x00000000, 0x0f00f011, 511)
    TEST_IMM_SRC1_BYPASS(76, 0, sltiu, 0x00000000, 0x0f00f00f, 511)
    TEST_IMM_SRC1_BYPASS(77, 1, sltiu, 0x00000000, 0x0f00f00e, 511)
    TEST_IMM_SRC1_BYPASS(78, 2, sltiu, 0x00000000, 0x0f00f00d, 511)

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
