/*
 * fence.S: fence, fence.i
 *
 * fence orders memory accesses and changes no register; fence.i makes instructions stored to
 * memory visible to the instruction fetches that follow it (self-modifying code).
 */
#include "test_macros.h"

    /* fence.i belongs to Zifencei, which the suite's -march does not name. */
    .option arch, +zifencei

TEST_CODE_BEGIN

    /* fence in its forms: ordering preserved, no register written */
    TEST_CASE(1, a4, 0x00000021, la a1, fence_word; li a2, 0x21; sw a2, 0(a1); fence; lw a4, 0(a1))
    TEST_CASE(2, a4, 0x00000022, la a1, fence_word; li a2, 0x22; sw a2, 0(a1); fence w, r; lw a4, 0(a1))
    TEST_CASE(3, a4, 0x00000023, la a1, fence_word; li a2, 0x23; sw a2, 0(a1); fence rw, rw; lw a4, 0(a1))
    TEST_CASE(4, a4, 0x00000024, la a1, fence_word; li a2, 0x24; sw a2, 0(a1); fence iorw, iorw; lw a4, 0(a1))
    TEST_CASE(5, a4, 0x00000007, li a4, 7; fence; fence.i)

    /* fence.i: run the patch slot once (it gives 1), store a new instruction over it, fence.i,
       run it again (it must give 42) */
    TEST_NUM(6)
    li a4, 0
    jal ra, patch_slot
    TEST_CHECK(a4, 1)

    TEST_NUM(7)
    la a1, patch_slot
    la a2, patch_template
    lw a3, 0(a2)
    sw a3, 0(a1)
    fence.i
    li a4, 0
    jal ra, patch_slot
    TEST_CHECK(a4, 42)

    /* the patched instruction is also what a data load sees */
    TEST_NUM(8)
    la a1, patch_slot
    lw a5, 0(a1)
    la a2, patch_template
    lw a6, 0(a2)
    TEST_CHECK_REG(a5, a6)

    /* patch it back, to the original, and run it once more */
    TEST_NUM(9)
    la a1, patch_slot
    la a2, patch_original
    lw a3, 0(a2)
    sw a3, 0(a1)
    fence.i
    li a4, 0
    jal ra, patch_slot
    TEST_CHECK(a4, 1)

TEST_CODE_END

    .text
    .balign 4
/* The routine whose first instruction the test rewrites. */
patch_slot:
    addi a4, x0, 1
    ret
patch_template:
    addi a4, x0, 42
patch_original:
    addi a4, x0, 1

TEST_DATA_BEGIN
fence_word:
    .word 0
TEST_DATA_END
