/*
 * policy_test.h: the frame of the policy programs (tests/policies/*.S).
 *
 * Each program does one thing a policy forbids when built with -DFORBIDDEN (the instruction at the label
 * `forbidden` must be denied), and the allowed neighbour of that thing otherwise (it must run to the end).
 *
 *     #include "policy_test.h"
 *     POLICY_TEST_BEGIN
 *         ...
 *         POLICY_PASS
 *     POLICY_TEST_END
 *
 * The end: POLICY_PASS writes 1 (code 0) to tohost. A trap ends the program in policy_trap: a policy
 * violation (mcause 24) with the code LAST_VIOLATION gives, (policy << 16) | reason, read through the PEX
 * call port; any other trap with 1000 + mcause.
 *
 * POLICY_ALLOCATOR adds the functions malloc (COLOUR(a0, a1), the coloured pointer in a0; the base itself when
 * the call gives 0, as it does without the heap policy) and free (RELEASE(a0, a1)): by their names the heap policy
 * tags their code as the allocator's.
 */
#ifndef POLICY_TEST_H
#define POLICY_TEST_H

#include "hwgen_soc.h"

#define PEXCALL_OP     0x0
#define PEXCALL_ARG0   0x4
#define PEXCALL_ARG1   0x8
#define PEXCALL_RESULT 0xC

#define PEX_COLOUR          1
#define PEX_RELEASE         2
#define PEX_LAST_VIOLATION  3

#define CAUSE_POLICY_VIOLATION 24

#define POLICY_TEST_BEGIN                                                       \
    .section .text.init, "ax", @progbits;                                      \
    .globl _start;                                                              \
_start:                                                                         \
    la t0, policy_trap;                                                         \
    csrw mtvec, t0;                                                             \
    la sp, __stack_top;

#define POLICY_PASS                                                             \
    li a0, 1;                                                                   \
    j policy_exit;

#define POLICY_FAIL(code)                                                       \
    li a0, ((code) << 1) | 1;                                                   \
    j policy_exit;

#define POLICY_TEST_END                                                         \
    .balign 4;                                                                  \
policy_trap:                                                                    \
    csrr t0, mcause;                                                            \
    li t1, CAUSE_POLICY_VIOLATION;                                              \
    bne t0, t1, 1f;                                                             \
    li t0, HWGEN_PEXCALL_BASE;                                                  \
    li t1, PEX_LAST_VIOLATION;                                                  \
    sw t1, PEXCALL_OP(t0);                                                      \
    lw a0, PEXCALL_RESULT(t0);                                                  \
    j 2f;                                                                       \
1:  addi a0, t0, 1000;                                                          \
2:  slli a0, a0, 1;                                                             \
    ori a0, a0, 1;                                                              \
policy_exit:                                                                    \
    la t0, tohost;                                                              \
    sw zero, 4(t0);                                                             \
    sw a0, 0(t0);                                                               \
3:  j 3b;

#define PEX_CALL(op)                                                            \
    li t0, HWGEN_PEXCALL_BASE;                                                  \
    sw a0, PEXCALL_ARG0(t0);                                                    \
    sw a1, PEXCALL_ARG1(t0);                                                    \
    li t1, op;                                                                  \
    sw t1, PEXCALL_OP(t0);                                                      \
    lw a0, PEXCALL_RESULT(t0);

#define POLICY_ALLOCATOR                                                        \
    .text;                                                                      \
    .balign 4;                                                                  \
    .globl malloc;                                                              \
    .type malloc, @function;                                                    \
malloc:                                                                         \
    mv t2, a0;                                                                  \
    PEX_CALL(PEX_COLOUR)                                                        \
    bnez a0, 4f;                                                                \
    mv a0, t2;                                                                  \
4:  ret;                                                                        \
    .size malloc, . - malloc;                                                   \
    .globl free;                                                                \
    .type free, @function;                                                      \
free:                                                                           \
    PEX_CALL(PEX_RELEASE)                                                       \
    ret;                                                                        \
    .size free, . - free;

#endif /* POLICY_TEST_H */
