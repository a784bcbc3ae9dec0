/*
 * stores.S: sb, sh, sw
 *
 * Stores of every size at every aligned offset, read back with loads; partial stores
 * must leave the other bytes of the word unchanged; a store followed at once by a load of the same
 * address must give the stored value.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* sb */
    TEST_ST_OP(1, lb, sb, 0xffffffaa, 0, store_data)
    TEST_ST_OP(2, lb, sb, 0x00000000, 1, store_data)
    TEST_ST_OP(3, lb, sb, 0xffffffa0, 2, store_data)
    TEST_ST_OP(4, lb, sb, 0x0000000a, 3, store_data)
    TEST_ST_OP(5, lb, sb, 0xffffffaa, -1, store_data + 32)
    TEST_ST_OP(6, lb, sb, 0x00000000, -2, store_data + 32)
    TEST_ST_OP(7, lb, sb, 0xffffffa0, -3, store_data + 32)
    TEST_ST_OP(8, lb, sb, 0x0000000a, -4, store_data + 32)
    TEST_ST_SRC12_BYPASS(9, 0, 0, lb, sb, 0xffffffaa, 16, store_data)
    TEST_ST_SRC21_BYPASS(10, 0, 0, lb, sb, 0x00000000, 16, store_data)
    TEST_ST_SRC12_BYPASS(11, 0, 1, lb, sb, 0x00000000, 17, store_data)
    TEST_ST_SRC21_BYPASS(12, 0, 1, lb, sb, 0xffffffa0, 17, store_data)
    TEST_ST_SRC12_BYPASS(13, 0, 2, lb, sb, 0xffffffa0, 18, store_data)
    TEST_ST_SRC21_BYPASS(14, 0, 2, lb, sb, 0x0000000a, 18, store_data)
    TEST_ST_SRC12_BYPASS(15, 1, 0, lb, sb, 0x00000000, 17, store_data)
    TEST_ST_SRC21_BYPASS(16, 1, 0, lb, sb, 0xffffffa0, 17, store_data)
    TEST_ST_SRC12_BYPASS(17, 1, 1, lb, sb, 0xffffffa0, 18, store_data)
    TEST_ST_SRC21_BYPASS(18, 1, 1, lb, sb, 0x0000000a, 18, store_data)
    TEST_ST_SRC12_BYPASS(19, 2, 0, lb, sb, 0xffffffa0, 18, store_data)
    TEST_ST_SRC21_BYPASS(20, 2, 0, lb, sb, 0x0000000a, 18, store_data)

    /* sh */
    TEST_ST_OP(21, lh, sh, 0x000000aa, 0, store_data)
    TEST_ST_OP(22, lh, sh, 0xffffaa00, 2, store_data)
    TEST_ST_OP(23, lh, sh, 0x00000aa0, 4, store_data)
    TEST_ST_OP(24, lh, sh, 0xffffa00a, 6, store_data)
    TEST_ST_OP(25, lh, sh, 0x000000aa, -2, store_data + 32)
    TEST_ST_OP(26, lh, sh, 0xffffaa00, -4, store_data + 32)
    TEST_ST_OP(27, lh, sh, 0x00000aa0, -6, store_data + 32)
    TEST_ST_OP(28, lh, sh, 0xffffa00a, -8, store_data + 32)
    TEST_ST_SRC12_BYPASS(29, 0, 0, lh, sh, 0x000000aa, 16, store_data)
    TEST_ST_SRC21_BYPASS(30, 0, 0, lh, sh, 0xffffaa00, 16, store_data)
    TEST_ST_SRC12_BYPASS(31, 0, 1, lh, sh, 0xffffaa00, 18, store_data)
    TEST_ST_SRC21_BYPASS(32, 0, 1, lh, sh, 0x00000aa0, 18, store_data)
    TEST_ST_SRC12_BYPASS(33, 0, 2, lh, sh, 0x00000aa0, 20, store_data)
    TEST_ST_SRC21_BYPASS(34, 0, 2, lh, sh, 0xffffa00a, 20, store_data)
    TEST_ST_SRC12_BYPASS(35, 1, 0, lh, sh, 0xffffaa00, 18, store_data)
    TEST_ST_SRC21_BYPASS(36, 1, 0, lh, sh, 0x00000aa0, 18, store_data)
    TEST_ST_SRC12_BYPASS(37, 1, 1, lh, sh, 0x00000aa0, 20, store_data)
    TEST_ST_SRC21_BYPASS(38, 1, 1, lh, sh, 0xffffa00a, 20, store_data)
    TEST_ST_SRC12_BYPASS(39, 2, 0, lh, sh, 0x00000aa0, 20, store_data)
    TEST_ST_SRC21_BYPASS(40, 2, 0, lh, sh, 0xffffa00a, 20, store_data)

    /* sw */
    TEST_ST_OP(41, lw, sw, 0x00aa00aa, 0, store_data)
    TEST_ST_OP(42, lw, sw, 0xaa00aa00, 4, store_data)
    TEST_ST_OP(43, lw, sw, 0x0aa00aa0, 8, store_data)
    TEST_ST_OP(44, lw, sw, 0xa00aa00a, 12, store_data)
    TEST_ST_OP(45, lw, sw, 0x00aa00aa, -4, store_data + 32)
    TEST_ST_OP(46, lw, sw, 0xaa00aa00, -8, store_data + 32)
    TEST_ST_OP(47, lw, sw, 0x0aa00aa0, -12, store_data + 32)
    TEST_ST_OP(48, lw, sw, 0xa00aa00a, -16, store_data + 32)
    TEST_ST_SRC12_BYPASS(49, 0, 0, lw, sw, 0x00aa00aa, 16, store_data)
    TEST_ST_SRC21_BYPASS(50, 0, 0, lw, sw, 0xaa00aa00, 20, store_data)
    TEST_ST_SRC12_BYPASS(51, 0, 1, lw, sw, 0xaa00aa00, 16, store_data)
    TEST_ST_SRC21_BYPASS(52, 0, 1, lw, sw, 0x0aa00aa0, 20, store_data)
    TEST_ST_SRC12_BYPASS(53, 0, 2, lw, sw, 0x0aa00aa0, 16, store_data)
    TEST_ST_SRC21_BYPASS(54, 0, 2, lw, sw, 0xa00aa00a, 20, store_data)
    TEST_ST_SRC12_BYPASS(55, 1, 0, lw, sw, 0xaa00aa00, 16, store_data)
    TEST_ST_SRC21_BYPASS(56, 1, 0, lw, sw, 0x0aa00aa0, 20, store_data)
    TEST_ST_SRC12_BYPASS(57, 1, 1, lw, sw, 0x0aa00aa0, 16, store_data)
    TEST_ST_SRC21_BYPASS(58, 1, 1, lw, sw, 0xa00aa00a, 20, store_data)
    TEST_ST_SRC12_BYPASS(59, 2, 0, lw, sw, 0x0aa00aa0, 16, store_data)
    TEST_ST_SRC21_BYPASS(60, 2, 0, lw, sw, 0xa00aa00a, 20, store_data)

    /* partial stores keep the other bytes of the word */
    TEST_CASE(61, a4, 0xaabbcc11, la a1, store_word; li a2, 0xaabbccdd; sw a2, 0(a1); li a3, 0xabcd0011; sb a3, 0(a1); lw a4, 0(a1))
    TEST_CASE(62, a4, 0xaabb22dd, la a1, store_word; li a2, 0xaabbccdd; sw a2, 0(a1); li a3, 0xabcd0022; sb a3, 1(a1); lw a4, 0(a1))
    TEST_CASE(63, a4, 0xaa33ccdd, la a1, store_word; li a2, 0xaabbccdd; sw a2, 0(a1); li a3, 0xabcd0033; sb a3, 2(a1); lw a4, 0(a1))
    TEST_CASE(64, a4, 0x44bbccdd, la a1, store_word; li a2, 0xaabbccdd; sw a2, 0(a1); li a3, 0xabcd0044; sb a3, 3(a1); lw a4, 0(a1))
    TEST_CASE(65, a4, 0xaabb5566, la a1, store_word; li a2, 0xaabbccdd; sw a2, 0(a1); li a3, 0x12345566; sh a3, 0(a1); lw a4, 0(a1))
    TEST_CASE(66, a4, 0x7788ccdd, la a1, store_word; li a2, 0xaabbccdd; sw a2, 0(a1); li a3, 0x12347788; sh a3, 2(a1); lw a4, 0(a1))

    /* only the low bits of the register are stored */
    TEST_CASE(67, a4, 0x000000ef, la a1, store_word; sw zero, 0(a1); li a2, 0x123456ef; sb a2, 0(a1); lw a4, 0(a1))
    TEST_CASE(68, a4, 0x56ef0000, la a1, store_word; sw zero, 0(a1); li a2, 0x123456ef; sh a2, 2(a1); lw a4, 0(a1))

    /* loads of the other sizes see the bytes a word store wrote (little-endian) */
    TEST_CASE(69, a4, 0x00000044, la a1, store_word; li a2, 0x11223344; sw a2, 0(a1); lbu a4, 0(a1))
    TEST_CASE(70, a4, 0x00000011, la a1, store_word; li a2, 0x11223344; sw a2, 0(a1); lbu a4, 3(a1))
    TEST_CASE(71, a4, 0x00001122, la a1, store_word; li a2, 0x11223344; sw a2, 0(a1); lhu a4, 2(a1))

    /* a store of x0 writes zero */
    TEST_CASE(72, a4, 0x00000000, la a1, store_word; li a2, -1; sw a2, 0(a1); sw x0, 0(a1); lw a4, 0(a1))

TEST_CODE_END

TEST_DATA_BEGIN
store_data:
    .zero 48
store_word:
    .word 0
TEST_DATA_END
