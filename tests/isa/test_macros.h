/*
 * test_macros.h: the frame and the checking macros of the HwGen ISA test suite (the .S files of tests/isa).
 *
 * A test file looks like this:
 *
 *     #include "test_macros.h"
 *     TEST_CODE_BEGIN
 *         TEST_RR_OP(1, add, 3, 1, 2)
 *         ...
 *     TEST_CODE_END
 *     TEST_DATA_BEGIN
 *         ...
 *     TEST_DATA_END
 *
 * Cases are numbered from 1. A failing check ends the program through tohost with
 * (case << 1) | 1, so the simulator's exit code is the number of the failing case; case 0 means
 * "outside any case" and is reported as TEST_SETUP_FAILURE. Before that the program prints one line
 * on the UART: the pc of the failing check with the value it got and the value it expected, or the
 * unexpected trap with mcause, mepc and mtval. Success writes 1 (code 0) to tohost.
 *
 * Registers the frame reserves (test code must not change them):
 *   sp (x2)  a small stack, used only on the way to a failure report
 *   gp (x3)  TESTNUM, the number of the running case
 *   tp (x4)  TESTLINK, the return address of a failing check
 *   t6 (x31) TESTEXP, the expected value of TEST_CHECK
 * The trap macros also use s6-s11 and t5.
 *
 * Built without the C runtime: the file provides _start in .text.init, the reset vector.
 */
#ifndef HWGEN_TEST_MACROS_H
#define HWGEN_TEST_MACROS_H

#include "hwgen_soc.h"

#define TESTNUM  gp
#define TESTLINK tp
#define TESTEXP  t6

/* Exit code of a failure outside any numbered case. */
#define TEST_SETUP_FAILURE 1023

/* mcause values of a machine-mode-only RV32 hart (privileged specification, table 3.6). */
#define CAUSE_MISALIGNED_FETCH     0
#define CAUSE_FETCH_ACCESS         1
#define CAUSE_ILLEGAL_INSTRUCTION  2
#define CAUSE_BREAKPOINT           3
#define CAUSE_MISALIGNED_LOAD      4
#define CAUSE_LOAD_ACCESS          5
#define CAUSE_MISALIGNED_STORE     6
#define CAUSE_STORE_ACCESS         7
#define CAUSE_MACHINE_ECALL        11
#define CAUSE_MACHINE_TIMER_INTERRUPT 0x80000007

#define MSTATUS_MIE  0x00000008
#define MSTATUS_MPIE 0x00000080
#define MSTATUS_MPP  0x00001800
#define MIE_MTIE     0x00000080
#define MIP_MTIP     0x00000080

/* ---------------------------------------------------------------------------------------------
 * Frame
 * ------------------------------------------------------------------------------------------- */

/* The vector of unexpected traps; a core without CSRs (HWGEN_NO_CSRS) has none: a trap stops it. */
#ifdef HWGEN_NO_CSRS
#define TEST_INSTALL_TRAP_VECTOR
#else
#define TEST_INSTALL_TRAP_VECTOR la t0, test_unexpected_trap; csrw mtvec, t0;
#endif

#define TEST_CODE_BEGIN                                                         \
    .section .text.init, "ax", @progbits;                                      \
    .globl _start;                                                              \
_start:                                                                         \
    li x1, 0;  li x2, 0;  li x3, 0;  li x4, 0;  li x5, 0;  li x6, 0;            \
    li x7, 0;  li x8, 0;  li x9, 0;  li x10, 0; li x11, 0; li x12, 0;           \
    li x13, 0; li x14, 0; li x15, 0; li x16, 0; li x17, 0; li x18, 0;           \
    li x19, 0; li x20, 0; li x21, 0; li x22, 0; li x23, 0; li x24, 0;           \
    li x25, 0; li x26, 0; li x27, 0; li x28, 0; li x29, 0; li x30, 0;           \
    li x31, 0;                                                                  \
    la sp, __stack_top;                                                         \
    TEST_INSTALL_TRAP_VECTOR                                                    \
    li TESTNUM, 0;

#define TEST_CODE_END                                                           \
    j test_pass;

#define TEST_DATA_BEGIN                                                         \
    .data;                                                                      \
    .balign 16;

#define TEST_DATA_END

/* ---------------------------------------------------------------------------------------------
 * Checks
 * ------------------------------------------------------------------------------------------- */

#define TEST_NUM(n) li TESTNUM, n

#define TEST_NOPS(count) .rept count; nop; .endr

/* Fails the case unless register `got` holds register `expected`. */
.macro test_check_eq got:req, expected:req
    beq \got, \expected, .Ltest_ok\@
    addi sp, sp, -16
    sw \got, 0(sp)
    sw \expected, 4(sp)
    jal TESTLINK, test_fail
.Ltest_ok\@:
.endm

/* Fails the case unless register `got` holds the constant `value`. */
#define TEST_CHECK(got, value) li TESTEXP, value; test_check_eq got, TESTEXP

/* Fails the case unless register `got` holds register `expected`. */
#define TEST_CHECK_REG(got, expected) test_check_eq got, expected

/* Fails the case here, unconditionally. */
#define TEST_FAIL_HERE jal TESTLINK, test_fail_here

/* The case itself: set the case number, run `code`, check `reg` against `value`. */
#define TEST_CASE(n, reg, value, code...)                                       \
    TEST_NUM(n); code; TEST_CHECK(reg, value)

/* ---------------------------------------------------------------------------------------------
 * Register-register and register-immediate operations: sources a1 a2, result a4
 * ------------------------------------------------------------------------------------------- */

#define TEST_RR_OP(n, inst, result, val1, val2)                                 \
    TEST_CASE(n, a4, result, li a1, val1; li a2, val2; inst a4, a1, a2)

#define TEST_RR_SRC1_EQ_DEST(n, inst, result, val1, val2)                       \
    TEST_CASE(n, a1, result, li a1, val1; li a2, val2; inst a1, a1, a2)

#define TEST_RR_SRC2_EQ_DEST(n, inst, result, val1, val2)                       \
    TEST_CASE(n, a2, result, li a1, val1; li a2, val2; inst a2, a1, a2)

#define TEST_RR_SRC12_EQ_DEST(n, inst, result, val1)                            \
    TEST_CASE(n, a1, result, li a1, val1; inst a1, a1, a1)

#define TEST_RR_ZEROSRC1(n, inst, result, val)                                  \
    TEST_CASE(n, a4, result, li a2, val; inst a4, x0, a2)

#define TEST_RR_ZEROSRC2(n, inst, result, val)                                  \
    TEST_CASE(n, a4, result, li a1, val; inst a4, a1, x0)

#define TEST_RR_ZERODEST(n, inst, val1, val2)                                   \
    TEST_CASE(n, x0, 0, li a1, val1; li a2, val2; inst x0, a1, a2)

/* The result is read `nops` instructions after it is produced (forwarding paths). */
#define TEST_RR_DEST_BYPASS(n, nops, inst, result, val1, val2)                  \
    TEST_CASE(n, a6, result, li a1, val1; li a2, val2; inst a4, a1, a2;         \
              TEST_NOPS(nops); addi a6, a4, 0)

/* The sources are produced `nops1` and `nops2` instructions before the operation. */
#define TEST_RR_SRC12_BYPASS(n, nops1, nops2, inst, result, val1, val2)         \
    TEST_CASE(n, a4, result, li a1, val1; TEST_NOPS(nops1); li a2, val2;        \
              TEST_NOPS(nops2); inst a4, a1, a2)

#define TEST_RR_SRC21_BYPASS(n, nops1, nops2, inst, result, val1, val2)         \
    TEST_CASE(n, a4, result, li a2, val2; TEST_NOPS(nops1); li a1, val1;        \
              TEST_NOPS(nops2); inst a4, a1, a2)

#define TEST_IMM_OP(n, inst, result, val1, imm)                                 \
    TEST_CASE(n, a4, result, li a1, val1; inst a4, a1, imm)

#define TEST_IMM_SRC1_EQ_DEST(n, inst, result, val1, imm)                       \
    TEST_CASE(n, a1, result, li a1, val1; inst a1, a1, imm)

#define TEST_IMM_ZEROSRC1(n, inst, result, imm)                                 \
    TEST_CASE(n, a4, result, inst a4, x0, imm)

#define TEST_IMM_ZERODEST(n, inst, val1, imm)                                   \
    TEST_CASE(n, x0, 0, li a1, val1; inst x0, a1, imm)

#define TEST_IMM_DEST_BYPASS(n, nops, inst, result, val1, imm)                  \
    TEST_CASE(n, a6, result, li a1, val1; inst a4, a1, imm; TEST_NOPS(nops);    \
              addi a6, a4, 0)

#define TEST_IMM_SRC1_BYPASS(n, nops, inst, result, val1, imm)                  \
    TEST_CASE(n, a4, result, li a1, val1; TEST_NOPS(nops); inst a4, a1, imm)

/* ---------------------------------------------------------------------------------------------
 * Loads and stores: base address a1, stored value a2, loaded value a4
 * ------------------------------------------------------------------------------------------- */

#define TEST_LD_OP(n, inst, result, offset, base)                               \
    TEST_CASE(n, a4, result, la a1, base; inst a4, offset(a1))

/* The loaded value is used `nops` instructions after the load (load-use interlock). */
#define TEST_LD_DEST_BYPASS(n, nops, inst, result, offset, base)                \
    TEST_CASE(n, a6, result, la a1, base; inst a4, offset(a1); TEST_NOPS(nops); \
              addi a6, a4, 0)

/* The base address is produced `nops` instructions before the load. */
#define TEST_LD_SRC1_BYPASS(n, nops, inst, result, offset, base)                \
    TEST_CASE(n, a4, result, la a1, base; TEST_NOPS(nops); inst a4, offset(a1))

/* Stores `value` and loads it back with `load`, which must give `value` again. */
#define TEST_ST_OP(n, load, store, value, offset, base)                         \
    TEST_CASE(n, a4, value, la a1, base; li a2, value; store a2, offset(a1);    \
              load a4, offset(a1))

#define TEST_ST_SRC12_BYPASS(n, nops1, nops2, load, store, value, offset, base) \
    TEST_CASE(n, a4, value, li a2, value; TEST_NOPS(nops1); la a1, base;        \
              TEST_NOPS(nops2); store a2, offset(a1); load a4, offset(a1))

#define TEST_ST_SRC21_BYPASS(n, nops1, nops2, load, store, value, offset, base) \
    TEST_CASE(n, a4, value, la a1, base; TEST_NOPS(nops1); li a2, value;        \
              TEST_NOPS(nops2); store a2, offset(a1); load a4, offset(a1))

/* ---------------------------------------------------------------------------------------------
 * Branches and jumps
 * ------------------------------------------------------------------------------------------- */

/* The branch must be taken forwards and backwards. */
#define TEST_BR2_OP_TAKEN(n, inst, val1, val2)                                  \
    TEST_NUM(n); li a1, val1; li a2, val2;                                      \
    inst a1, a2, 2f;                                                            \
    TEST_FAIL_HERE;                                                             \
1:  j 3f;                                                                       \
2:  inst a1, a2, 1b;                                                            \
    TEST_FAIL_HERE;                                                             \
3:

/* The branch must fall through, forwards and backwards. */
#define TEST_BR2_OP_NOTTAKEN(n, inst, val1, val2)                               \
    TEST_NUM(n); li a1, val1; li a2, val2;                                      \
    inst a1, a2, 1f;                                                            \
    j 2f;                                                                       \
1:  TEST_FAIL_HERE;                                                             \
2:  inst a1, a2, 1b;

/* A taken branch whose operands were produced `nops1` and `nops2` instructions earlier. */
#define TEST_BR2_SRC12_BYPASS(n, nops1, nops2, inst, val1, val2)                \
    TEST_NUM(n); li a1, val1; TEST_NOPS(nops1); li a2, val2; TEST_NOPS(nops2);  \
    inst a1, a2, 1f;                                                            \
    TEST_FAIL_HERE;                                                             \
1:

/* jal rd: lands on the target, and rd holds the address after the jal. */
#define TEST_JAL(n, rd)                                                         \
    TEST_NUM(n); li rd, 0;                                                      \
    jal rd, 1f;                                                                 \
2:  TEST_FAIL_HERE;                                                             \
1:  la t5, 2b; TEST_CHECK_REG(rd, t5)

/* jalr rd, offset(rs1): lands on base + offset, and rd holds the address after the jalr. */
#define TEST_JALR(n, rd, rs1, offset)                                           \
    TEST_NUM(n); li rd, 0;                                                      \
    la rs1, 1f - (offset);                                                      \
    jalr rd, offset(rs1);                                                       \
2:  TEST_FAIL_HERE;                                                             \
1:  la t5, 2b; TEST_CHECK_REG(rd, t5)

/* ---------------------------------------------------------------------------------------------
 * Expected traps
 *
 *     TEST_TRAP_SETUP(n, cause)   the case number and cause; s9 holds the expected mepc (the
 *                                 instruction after TEST_TRAP_AT); s10 and s6 the two values
 *                                 mtval may take (both 0 unless the caller changes them)
 *     ...                         more set-up (must not define the local labels 1 or 2)
 *     TEST_TRAP_AT(insn)          the one instruction that must trap
 *
 * The handler checks mcause, mepc and mtval, counts the trap and resumes after the instruction;
 * the case fails unless exactly one trap was taken.
 * ------------------------------------------------------------------------------------------- */

#define TEST_TRAP_SETUP(n, cause)                                               \
    TEST_NUM(n); li s7, 0; li s8, cause; la s9, 1f; la s11, 2f;                 \
    li s10, 0; li s6, 0;                                                        \
    la t5, test_expected_trap; csrw mtvec, t5

#define TEST_TRAP_AT(insn...)                                                   \
1:  insn;                                                                       \
2:  la t5, test_unexpected_trap; csrw mtvec, t5;                                \
    TEST_CHECK(s7, 1)

/* `insn` traps with `cause`, and mtval is the value of register `tval`. */
#define TEST_TRAP(n, cause, tval, insn...)                                      \
    TEST_TRAP_SETUP(n, cause); mv s10, tval; mv s6, tval; TEST_TRAP_AT(insn)

/* `insn` raises an illegal-instruction exception; mtval is 0 or the instruction's encoding. */
#define TEST_TRAP_ILLEGAL(n, insn...)                                           \
    TEST_TRAP_SETUP(n, CAUSE_ILLEGAL_INSTRUCTION); lw s6, 0(s9); TEST_TRAP_AT(insn)

/* ---------------------------------------------------------------------------------------------
 * Shared code: pass, failure reports, trap handlers, UART output
 * ------------------------------------------------------------------------------------------- */

    .pushsection .text, "ax", @progbits

    .globl test_pass
test_pass:
    fence
    li a0, 1
    j test_write_tohost

/* A failed check: tp is the address after it; 0(sp) holds the value got, 4(sp) the one expected. */
test_fail:
    la a0, test_message_fail
    jal ra, test_print_string
    addi a0, TESTLINK, -4
    jal ra, test_print_hex
    la a0, test_message_got
    jal ra, test_print_string
    lw a0, 0(sp)
    jal ra, test_print_hex
    la a0, test_message_expected
    jal ra, test_print_string
    lw a0, 4(sp)
    jal ra, test_print_hex
    j test_fail_exit

test_fail_here:
    la a0, test_message_fail
    jal ra, test_print_string
    addi a0, TESTLINK, -4
    jal ra, test_print_hex
    j test_fail_exit

/* A trap that no case expected. */
    .balign 4
    .globl test_unexpected_trap
test_unexpected_trap:
    la sp, __stack_top
    la a0, test_message_trap
    jal ra, test_print_string
    csrr a0, mcause
    jal ra, test_print_hex
    la a0, test_message_mepc
    jal ra, test_print_string
    csrr a0, mepc
    jal ra, test_print_hex
    la a0, test_message_mtval
    jal ra, test_print_string
    csrr a0, mtval
    jal ra, test_print_hex
    j test_fail_exit

test_fail_exit:
    li a0, 10 /* newline */
    jal ra, test_print_char
    mv a0, TESTNUM
    bnez a0, 1f
    li a0, TEST_SETUP_FAILURE
1:  slli a0, a0, 1
    ori a0, a0, 1
    /* fall through */

test_write_tohost:
    la t0, tohost
    sw zero, 4(t0)
    sw a0, 0(t0)
1:  j 1b

/* The trap a case expects (see TEST_TRAP_SETUP). */
    .balign 4
test_expected_trap:
    addi s7, s7, 1
    csrr t5, mcause
    TEST_CHECK_REG(t5, s8)
    csrr t5, mepc
    TEST_CHECK_REG(t5, s9)
    csrr t5, mtval
    beq t5, s6, 1f
    TEST_CHECK_REG(t5, s10)
1:  csrw mepc, s11
    mret

/* a0: the byte to send. Clobbers t0, t1. */
test_print_char:
    li t0, HWGEN_UART_STATUS
1:  lw t1, 0(t0)
    andi t1, t1, HWGEN_UART_STATUS_TX_READY
    beqz t1, 1b
    li t0, HWGEN_UART_DATA
    sw a0, 0(t0)
    ret

/* a0: a NUL-terminated string. Clobbers a0, a1, a2, t0, t1. */
test_print_string:
    mv a2, ra
    mv a1, a0
1:  lbu a0, 0(a1)
    beqz a0, 2f
    jal ra, test_print_char
    addi a1, a1, 1
    j 1b
2:  jr a2

/* a0: a word, sent as 0x and eight hex digits. Clobbers a0-a3, t0, t1. */
test_print_hex:
    mv a2, ra
    mv a1, a0
    li a0, 48 /* '0' */
    jal ra, test_print_char
    li a0, 120 /* 'x' */
    jal ra, test_print_char
    li a3, 28
1:  srl a0, a1, a3
    andi a0, a0, 0xf
    addi a0, a0, 48 /* '0' */
    li t0, 57 /* '9' */
    ble a0, t0, 2f
    addi a0, a0, 39 /* 'a' - '0' - 10 */
2:  jal ra, test_print_char
    addi a3, a3, -4
    bgez a3, 1b
    jr a2

    .popsection

    .pushsection .rodata, "a", @progbits
test_message_fail:     .asciz "FAIL: check at pc "
test_message_got:      .asciz " got "
test_message_expected: .asciz " expected "
test_message_trap:     .asciz "FAIL: unexpected trap: mcause "
test_message_mepc:     .asciz " mepc "
test_message_mtval:    .asciz " mtval "
    .popsection

#endif /* HWGEN_TEST_MACROS_H */
