/*
 * imm_logic.S: andi, ori, xori
 *
 * Register-immediate bitwise operations with the sign-extended 12-bit immediate.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* andi */
    TEST_IMM_OP(1, andi, 0xff00ff00, 0xff00ff00, -241)
    TEST_IMM_OP(2, andi, 0x000000f0, 0x0ff00ff0, 240)
    TEST_IMM_OP(3, andi, 0x0000000f, 0x00ff00ff, 1807)
    TEST_IMM_OP(4, andi, 0x00000000, 0xf00ff00f, 240)
    TEST_IMM_OP(5, andi, 0x00000000, 0xff00ff00, 240)
    TEST_IMM_OP(6, andi, 0x00ff00ff, 0x00ff00ff, -1)
    TEST_IMM_OP(7, andi, 0x00000000, 0x00000000, -2048)
    TEST_IMM_OP(8, andi, 0x000007ff, 0xffffffff, 2047)
    TEST_IMM_OP(9, andi, 0x12345678, 0x12345678, -1)
    TEST_IMM_OP(10, andi, 0x00000000, 0x12345678, 0)
    TEST_IMM_SRC1_EQ_DEST(11, andi, 0x000000f0, 0x00ff00ff, 240)
    TEST_IMM_ZEROSRC1(12, andi, 0x00000000, -16)
    TEST_IMM_ZERODEST(13, andi, 0x0abcdef0, -16)
    TEST_IMM_DEST_BYPASS(14, 0, andi, 0x0000000f, 0x0f00f00f, 511)
    TEST_IMM_DEST_BYPASS(15, 1, andi, 0x00000010, 0x0f00f010, 511)
    TEST_IMM_DEST_BYPASS(16, 2, andi, 0x00000011, 0x0f00f011, 511)
    TEST_IMM_SRC1_BYPASS(17, 0, andi, 0x0000000f, 0x0f00f00f, 511)
    TEST_IMM_SRC1_BYPASS(18, 1, andi, 0x0000000e, 0x0f00f00e, 511)
    TEST_IMM_SRC1_BYPASS(19, 2, andi, 0x0000000d, 0x0f00f00d, 511)

    /* ori */
    TEST_IMM_OP(20, ori, 0xffffff0f, 0xff00ff00, -241)
    TEST_IMM_OP(21, ori, 0x0ff00ff0, 0x0ff00ff0, 240)
    TEST_IMM_OP(22, ori, 0x00ff07ff, 0x00ff00ff, 1807)
    TEST_IMM_OP(23, ori, 0xf00ff0ff, 0xf00ff00f, 240)
    TEST_IMM_OP(24, ori, 0xff00fff0, 0xff00ff00, 240)
    TEST_IMM_OP(25, ori, 0xffffffff, 0x00ff00ff, -1)
    TEST_IMM_OP(26, ori, 0xfffff800, 0x00000000, -2048)
    TEST_IMM_OP(27, ori, 0xffffffff, 0xffffffff, 2047)
    TEST_IMM_OP(28, ori, 0xffffffff, 0x12345678, -1)
    TEST_IMM_OP(29, ori, 0x12345678, 0x12345678, 0)
    TEST_IMM_SRC1_EQ_DEST(30, ori, 0x00ff00ff, 0x00ff00ff, 240)
    TEST_IMM_ZEROSRC1(31, ori, 0xfffffff0, -16)
    TEST_IMM_ZERODEST(32, ori, 0x0abcdef0, -16)
    TEST_IMM_DEST_BYPASS(33, 0, ori, 0x0f00f1ff, 0x0f00f00f, 511)
    TEST_IMM_DEST_BYPASS(34, 1, ori, 0x0f00f1ff, 0x0f00f010, 511)
    TEST_IMM_DEST_BYPASS(35, 2, ori, 0x0f00f1ff, 0x0f00f011, 511)
    TEST_IMM_SRC1_BYPASS(36, 0, ori, 0x0f00f1ff, 0x0f00f00f, 511)
    TEST_IMM_SRC1_BYPASS(37, 1, ori, 0x0f00f1ff, 0x0f00f00e, 511)
    TEST_IMM_SRC1_BYPASS(38, 2, ori, 0x0f00f1ff, 0x0f00f00d, 511)

    /* xori */
    TEST_IMM_OP(39, xori, 0x00ff000f, 0xff00ff00, -241)
    TEST_IMM_OP(40, xori, 0x0ff00f00, 0x0ff00ff0, 240)
    TEST_IMM_OP(41, xori, 0x00ff07f0, 0x00ff00ff, 1807)
    TEST_IMM_OP(42, xori, 0xf00ff0ff, 0xf00ff00f, 240)
    TEST_IMM_OP(43, xori, 0xff00fff0, 0xff00ff00, 240)
    TEST_IMM_OP(44, xori, 0xff00ff00, 0x00ff00ff, -1)
    TEST_IMM_OP(45, xori, 0xfffff800, 0x00000000, -2048)
    TEST_IMM_OP(46, xori, 0xfffff800, 0xffffffff, 2047)
    TEST_IMM_OP(47, xori, 0xedcba987, 0x12345678, -1)
    TEST_IMM_OP(48, xori, 0x12345678, 0x12345678, 0)
    TEST_IMM_SRC1_EQ_DEST(49, xori, 0x00ff000f, 0x00ff00ff, 240)
    TEST_IMM_ZEROSRC1(50, xori, 0xfffffff0, -16)
    TEST_IMM_ZERODEST(51, xori, 0x0abcdef0, -16)
    TEST_IMM_DEST_BYPASS(52, 0, xori, 0x0f00f1f0, 0x0f00f00f, 511)
    TEST_IMM_DEST_BYPASS(53, 1, xori, 0x0f00f1ef, 0x0f00f010, 511)
    TEST_IMM_DEST_BYPASS(54, 2, xori, 0x0f00f1ee, 0x0f00f011, 511)
    TEST_IMM_SRC1_BYPASS(55, 0, xori, 0x0f00f1f0, 0x0f00f00f, 511)
    TEST_IMM_SRC1_BYPASS(56, 1, xori, 0x0f00f1f1, 0x0f00f00e, 511)
    TEST_IMM_SRC1_BYPASS(57, 2, xori, 0x0f00f1f2, 0x0f00f00d, 511)

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
