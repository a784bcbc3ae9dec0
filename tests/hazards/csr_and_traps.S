/*
 * csr_and_traps.S: CSR and trap hazards
 *
 * A CSR read right after a write (and a CSR write of a value just computed or loaded); a write of
 * mtvec or mepc followed at once by the instruction that uses it (ecall, mret); instructions in the
 * shadow of a taken branch or jump that would trap must not; an instruction that traps right at a
 * branch target must; mret returns into an instruction that depends on what the handler computed.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* 1-4: CSR writes then reads, back to back, with the written value just computed */
    TEST_CASE(1, a3, 0x00001234, li a1, 0x1234; csrw mscratch, a1; csrr a3, mscratch)
    TEST_CASE(2, a3, 0x00001235, li a1, 0x1234; addi a1, a1, 1; csrw mscratch, a1; csrr a3, mscratch)
    TEST_CASE(3, a4, 0x00001234, li a1, 0x1234; csrw mscratch, a1; li a2, 0x10; csrrs a3, mscratch, a2; addi a4, a3, 0)
    TEST_CASE(4, a3, 0x00001204, csrrci zero, mscratch, 0x10; csrrsi zero, mscratch, 0x4; csrr a1, mscratch; addi a3, a1, -0x10; addi a3, a3, -0x10)
    /* 5: a CSR read result forwarded to a store and loaded back */
    TEST_CASE(5, a4, 0x00001234, li a1, 0x1234; csrw mscratch, a1; csrr a2, mscratch; la a1, csr_data; sw a2, 0(a1); lw a4, 0(a1))
    /* 6: csrrw swaps: the old value goes to rd while the new one is written */
    TEST_CASE(6, a4, 0x00000101, li a1, 0x100; csrw mscratch, a1; li a2, 1; csrrw a3, mscratch, a2; csrr a4, mscratch; add a4, a4, a3)

    /* 7: mtvec written right before an ecall: the trap goes to the new vector */
    TEST_NUM(7)
    li s7, 0
    li s8, CAUSE_MACHINE_ECALL
    la s9, 1f
    la s11, 2f
    li s10, 0
    li s6, 0
    la t5, test_expected_trap
    csrw mtvec, t5
1:  ecall
2:  la t5, test_unexpected_trap
    csrw mtvec, t5
    TEST_CHECK(s7, 1)

    /* 8: mepc written right before mret: mret goes there */
    TEST_NUM(8)
    li a3, 0
    la t5, csr_mret_target
    csrw mepc, t5
    mret
    TEST_FAIL_HERE
csr_mret_target:
    li a3, 8
    TEST_CHECK(a3, 8)

    /* 9-12: instructions that would trap in the shadow of a taken branch or jump: none may trap (the vector fails the test) */
    TEST_NUM(9)
    li a1, 1
    bnez a1, 1f
    ecall
    ebreak
    .word 0xffffffff
1:  TEST_NUM(10)
    la a1, csr_data
    beq a1, a1, 1f
    lw a2, 1(a1)
    sw a2, 2(a1)
    csrw mhartid, a1
1:  TEST_NUM(11)
    j 1f
    .word 0x00000000
    ecall
1:  TEST_NUM(12)
    la a1, 1f
    jalr x0, 0(a1)
    ecall
    jalr x0, 2(a1)
1:
    /* 13: a taken branch whose operands were just loaded, over a misaligned load */
    TEST_NUM(13)
    la a1, csr_data
    lw a2, 4(a1)
    bnez a2, 1f
    lw a3, 2(a1)
    ecall
1:
    /* 14: a trap in the shadow of an mret */
    TEST_NUM(14)
    la t5, 1f
    csrw mepc, t5
    mret
    ecall
    ebreak
1:

    /* 15-17: a trap right at the target of a taken branch, a jal, a jalr */
    TEST_TRAP_SETUP(15, CAUSE_MACHINE_ECALL)
    li a1, 1
    bnez a1, 1f
    TEST_FAIL_HERE
    TEST_TRAP_AT(ecall)
    TEST_TRAP_SETUP(16, CAUSE_BREAKPOINT)
    mv s6, s9                     /* mtval: 0 or the pc of the ebreak */
    j 1f
    TEST_FAIL_HERE
    TEST_TRAP_AT(ebreak)
    TEST_TRAP_SETUP(17, CAUSE_MISALIGNED_LOAD)
    la a1, csr_data + 1
    mv s10, a1
    mv s6, a1
    la a2, 1f
    jalr x0, 0(a2)
    TEST_FAIL_HERE
    TEST_TRAP_AT(lw a3, 0(a1))
    /* 18: an illegal instruction at a branch target */
    TEST_TRAP_SETUP(18, CAUSE_ILLEGAL_INSTRUCTION)
    lw s6, 0(s9)
    beq zero, zero, 1f
    TEST_FAIL_HERE
    TEST_TRAP_AT(.word 0xffffffff)

    /* 19-21: mret back into an instruction that depends on the handler's result */
    la t5, csr_handler
    csrw mtvec, t5
    TEST_NUM(19)
    li a1, 5
    ecall
    add a2, a1, a1
    TEST_CHECK(a2, 12)
    /* 20: into a load whose base the handler set, and a use of the loaded value */
    TEST_NUM(20)
    li a1, 0
    li a5, 0
    ecall
    lw a4, 0(a5)
    addi a4, a4, 1
    TEST_CHECK(a4, 0x1235)
    /* 21: into a branch on the handler's result */
    TEST_NUM(21)
    li a1, 9
    ecall
    li a2, 10
    beq a1, a2, 1f
    TEST_FAIL_HERE
1:  la t5, test_unexpected_trap
    csrw mtvec, t5

TEST_CODE_END

    .text
    .balign 4
/* a1 += 1; a5 = csr_data; resumes after the ecall. */
csr_handler:
    addi a1, a1, 1
    la a5, csr_data
    csrr t5, mepc
    addi t5, t5, 4
    csrw mepc, t5
    mret

TEST_DATA_BEGIN
csr_data:
    .word 0
    .word 1
    .word 0, 0
TEST_DATA_END
