/*
 * loads.S: lb, lh, lw, lbu, lhu
 *
 * Loads of every size and signedness at every aligned offset of a data block, with
 * positive and negative offsets, and the loaded value used right after the load (load-use interlock).
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* lb */
    TEST_LD_OP(1, lb, 0xffffffff, 0, load_data)
    TEST_LD_OP(2, lb, 0x00000000, 1, load_data)
    TEST_LD_OP(3, lb, 0xffffffff, 2, load_data)
    TEST_LD_OP(4, lb, 0x00000000, 3, load_data)
    TEST_LD_OP(5, lb, 0x00000000, 4, load_data)
    TEST_LD_OP(6, lb, 0xffffffff, 5, load_data)
    TEST_LD_OP(7, lb, 0x00000000, 6, load_data)
    TEST_LD_OP(8, lb, 0xffffffff, 7, load_data)
    TEST_LD_OP(9, lb, 0xfffffff0, 8, load_data)
    TEST_LD_OP(10, lb, 0x0000000f, 9, load_data)
    TEST_LD_OP(11, lb, 0xfffffff0, 10, load_data)
    TEST_LD_OP(12, lb, 0x0000000f, 11, load_data)
    TEST_LD_OP(13, lb, 0x0000000f, 12, load_data)
    TEST_LD_OP(14, lb, 0xfffffff0, 13, load_data)
    TEST_LD_OP(15, lb, 0x0000000f, 14, load_data)
    TEST_LD_OP(16, lb, 0xfffffff0, 15, load_data)
    TEST_LD_OP(17, lb, 0x00000001, 18, load_data)
    TEST_LD_OP(18, lb, 0x00000056, 21, load_data)
    TEST_LD_OP(19, lb, 0xffffffef, 24, load_data)
    TEST_LD_OP(20, lb, 0xffffffde, 27, load_data)
    TEST_LD_OP(21, lb, 0xffffff80, 30, load_data)
    TEST_LD_OP(22, lb, 0xffffffff, -16, load_data + 16)
    TEST_LD_OP(23, lb, 0xffffffff, -14, load_data + 16)
    TEST_LD_OP(24, lb, 0x00000000, -12, load_data + 16)
    TEST_LD_OP(25, lb, 0x00000000, -10, load_data + 16)
    TEST_LD_OP(26, lb, 0xfffffff0, -8, load_data + 16)
    TEST_LD_OP(27, lb, 0xfffffff0, -6, load_data + 16)
    TEST_LD_OP(28, lb, 0x0000000f, -4, load_data + 16)
    TEST_LD_OP(29, lb, 0x0000000f, -2, load_data + 16)
    TEST_LD_DEST_BYPASS(30, 0, lb, 0x00000078, 20, load_data)
    TEST_LD_DEST_BYPASS(31, 1, lb, 0x00000056, 21, load_data)
    TEST_LD_DEST_BYPASS(32, 2, lb, 0x00000034, 22, load_data)
    TEST_LD_SRC1_BYPASS(33, 0, lb, 0xffffffef, 24, load_data)
    TEST_LD_SRC1_BYPASS(34, 1, lb, 0xffffffbe, 25, load_data)
    TEST_LD_SRC1_BYPASS(35, 2, lb, 0xffffffad, 26, load_data)

    /* lbu */
    TEST_LD_OP(36, lbu, 0x000000ff, 0, load_data)
    TEST_LD_OP(37, lbu, 0x00000000, 1, load_data)
    TEST_LD_OP(38, lbu, 0x000000ff, 2, load_data)
    TEST_LD_OP(39, lbu, 0x00000000, 3, load_data)
    TEST_LD_OP(40, lbu, 0x00000000, 4, load_data)
    TEST_LD_OP(41, lbu, 0x000000ff, 5, load_data)
    TEST_LD_OP(42, lbu, 0x00000000, 6, load_data)
    TEST_LD_OP(43, lbu, 0x000000ff, 7, load_data)
    TEST_LD_OP(44, lbu, 0x000000f0, 8, load_data)
    TEST_LD_OP(45, lbu, 0x0000000f, 9, load_data)
    TEST_LD_OP(46, lbu, 0x000000f0, 10, load_data)
    TEST_LD_OP(47, lbu, 0x0000000f, 11, load_data)
    TEST_LD_OP(48, lbu, 0x0000000f, 12, load_data)
    TEST_LD_OP(49, lbu, 0x000000f0, 13, load_data)
    TEST_LD_OP(50, lbu, 0x0000000f, 14, load_data)
    TEST_LD_OP(51, lbu, 0x000000f0, 15, load_data)
    TEST_LD_OP(52, lbu, 0x00000001, 18, load_data)
    TEST_LD_OP(53, lbu, 0x00000056, 21, load_data)
    TEST_LD_OP(54, lbu, 0x000000ef, 24, load_data)
    TEST_LD_OP(55, lbu, 0x000000de, 27, load_data)
    TEST_LD_OP(56, lbu, 0x00000080, 30, load_data)
    TEST_LD_OP(57, lbu, 0x000000ff, -16, load_data + 16)
    TEST_LD_OP(58, lbu, 0x000000ff, -14, load_data + 16)
    TEST_LD_OP(59, lbu, 0x00000000, -12, load_data + 16)
    TEST_LD_OP(60, lbu, 0x00000000, -10, load_data + 16)
    TEST_LD_OP(61, lbu, 0x000000f0, -8, load_data + 16)
    TEST_LD_OP(62, lbu, 0x000000f0, -6, load_data + 16)
    TEST_LD_OP(63, lbu, 0x0000000f, -4, load_data + 16)
    TEST_LD_OP(64, lbu, 0x0000000f, -2, load_data + 16)
    TEST_LD_DEST_BYPASS(65, 0, lbu, 0x00000078, 20, load_data)
    TEST_LD_DEST_BYPASS(66, 1, lbu, 0x00000056, 21, load_data)
    TEST_LD_DEST_BYPASS(67, 2, lbu, 0x00000034, 22, load_data)
    TEST_LD_SRC1_BYPASS(68, 0, lbu, 0x000000ef, 24, load_data)
    TEST_LD_SRC1_BYPASS(69, 1, lbu, 0x000000be, 25, load_data)
    TEST_LD_SRC1_BYPASS(70, 2, lbu, 0x000000ad, 26, load_data)

    /* lh */
    TEST_LD_OP(71, lh, 0x000000ff, 0, load_data)
    TEST_LD_OP(72, lh, 0x000000ff, 2, load_data)
    TEST_LD_OP(73, lh, 0xffffff00, 4, load_data)
    TEST_LD_OP(74, lh, 0xffffff00, 6, load_data)
    TEST_LD_OP(75, lh, 0x00000ff0, 8, load_data)
    TEST_LD_OP(76, lh, 0x00000ff0, 10, load_data)
    TEST_LD_OP(77, lh, 0xfffff00f, 12, load_data)
    TEST_LD_OP(78, lh, 0xfffff00f, 14, load_data)
    TEST_LD_OP(79, lh, 0x00007fff, 16, load_data)
    TEST_LD_OP(80, lh, 0xffff8001, 18, load_data)
    TEST_LD_OP(81, lh, 0x00005678, 20, load_data)
    TEST_LD_OP(82, lh, 0x00001234, 22, load_data)
    TEST_LD_OP(83, lh, 0xffffbeef, 24, load_data)
    TEST_LD_OP(84, lh, 0xffffdead, 26, load_data)
    TEST_LD_OP(85, lh, 0x0000017e, 28, load_data)
    TEST_LD_OP(86, lh, 0x00007f80, 30, load_data)
    TEST_LD_OP(87, lh, 0x000000ff, -16, load_data + 16)
    TEST_LD_OP(88, lh, 0xffffff00, -12, load_data + 16)
    TEST_LD_OP(89, lh, 0x00000ff0, -8, load_data + 16)
    TEST_LD_OP(90, lh, 0xfffff00f, -4, load_data + 16)
    TEST_LD_DEST_BYPASS(91, 0, lh, 0x00005678, 20, load_data)
    TEST_LD_DEST_BYPASS(92, 1, lh, 0x00001234, 22, load_data)
    TEST_LD_DEST_BYPASS(93, 2, lh, 0xffffbeef, 24, load_data)
    TEST_LD_SRC1_BYPASS(94, 0, lh, 0xffffbeef, 24, load_data)
    TEST_LD_SRC1_BYPASS(95, 1, lh, 0xffffdead, 26, load_data)
    TEST_LD_SRC1_BYPASS(96, 2, lh, 0x0000017e, 28, load_data)

    /* lhu */
    TEST_LD_OP(97, lhu, 0x000000ff, 0, load_data)
    TEST_LD_OP(98, lhu, 0x000000ff, 2, load_data)
    TEST_LD_OP(99, lhu, 0x0000ff00, 4, load_data)
    TEST_LD_OP(100, lhu, 0x0000ff00, 6, load_data)
    TEST_LD_OP(101, lhu, 0x00000ff0, 8, load_data)
    TEST_LD_OP(102, lhu, 0x00000ff0, 10, load_data)
    TEST_LD_OP(103, lhu, 0x0000f00f, 12, load_data)
    TEST_LD_OP(104, lhu, 0x0000f00f, 14, load_data)
    TEST_LD_OP(105, lhu, 0x00007fff, 16, load_data)
    TEST_LD_OP(106, lhu, 0x00008001, 18, load_data)
    TEST_LD_OP(107, lhu, 0x00005678, 20, load_data)
    TEST_LD_OP(108, lhu, 0x00001234, 22, load_data)
    TEST_LD_OP(109, lhu, 0x0000beef, 24, load_data)
    TEST_LD_OP(110, lhu, 0x0000dead, 26, load_data)
    TEST_LD_OP(111, lhu, 0x0000017e, 28, load_data)
    TEST_LD_OP(112, lhu, 0x00007f80, 30, load_data)
    TEST_LD_OP(113, lhu, 0x000000ff, -16, load_data + 16)
    TEST_LD_OP(114, lhu, 0x0000ff00, -12, load_data + 16)
    TEST_LD_OP(115, lhu, 0x00000ff0, -8, load_data + 16)
    TEST_LD_OP(116, lhu, 0x0000f00f, -4, load_data + 16)
    TEST_LD_DEST_BYPASS(117, 0, lhu, 0x00005678, 20, load_data)
    TEST_LD_DEST_BYPASS(118, 1, lhu, 0x00001234, 22, load_data)
    TEST_LD_DEST_BYPASS(119, 2, lhu, 0x0000beef, 24, load_data)
    TEST_LD_SRC1_BYPASS(120, 0, lhu, 0x0000beef, 24, load_data)
    TEST_LD_SRC1_BYPASS(121, 1, lhu, 0x0000dead, 26, load_data)
    TEST_LD_SRC1_BYPASS(122, 2, lhu, 0x0000017e, 28, load_data)

    /* lw */
    TEST_LD_OP(123, lw, 0x00ff00ff, 0, load_data)
    TEST_LD_OP(124, lw, 0xff00ff00, 4, load_data)
    TEST_LD_OP(125, lw, 0x0ff00ff0, 8, load_data)
    TEST_LD_OP(126, lw, 0xf00ff00f, 12, load_data)
    TEST_LD_OP(127, lw, 0x80017fff, 16, load_data)
    TEST_LD_OP(128, lw, 0x12345678, 20, load_data)
    TEST_LD_OP(129, lw, 0xdeadbeef, 24, load_data)
    TEST_LD_OP(130, lw, 0x7f80017e, 28, load_data)
    TEST_LD_OP(131, lw, 0x00ff00ff, -16, load_data + 16)
    TEST_LD_OP(132, lw, 0x0ff00ff0, -8, load_data + 16)
    TEST_LD_DEST_BYPASS(133, 0, lw, 0x12345678, 20, load_data)
    TEST_LD_DEST_BYPASS(134, 1, lw, 0x12345678, 20, load_data)
    TEST_LD_DEST_BYPASS(135, 2, lw, 0x12345678, 20, load_data)
    TEST_LD_SRC1_BYPASS(136, 0, lw, 0x7f80017e, 28, load_data)
    TEST_LD_SRC1_BYPASS(137, 1, lw, 0x7f80017e, 28, load_data)
    TEST_LD_SRC1_BYPASS(138, 2, lw, 0x7f80017e, 28, load_data)

    /* a load into x0 is discarded */
    TEST_CASE(139, x0, 0, la a1, load_data; lw x0, 4(a1))

    /* two back-to-back loads, the second using the first as its base */
    TEST_CASE(140, a4, 0xff00ff00, la a1, load_pointer; lw a2, 0(a1); lw a4, 4(a2))

TEST_CODE_END

TEST_DATA_BEGIN
load_data:
    .word 0x00ff00ff
    .word 0xff00ff00
    .word 0x0ff00ff0
    .word 0xf00ff00f
    .word 0x80017fff
    .word 0x12345678
    .word 0xdeadbeef
    .word 0x7f80017e
load_pointer:
    .word load_data
TEST_DATA_END
