/*
 * load_use_every_reader.S: the load-use interlock for every instruction that reads a register
 *
 * The interlock looks at a coarse decode of the word (its opcode and funct3) to know whether it reads
 * rs1 and rs2. Here every opcode and funct3 that reads a register gets the value of a load as its very
 * next instruction, once as rs1 and once as rs2: the integer operations and their immediate forms,
 * the multiplications and divisions, the six branches, the loads, the three stores (address and
 * data), jalr and the CSR instructions that read rs1; the operations whose operands are not
 * interchangeable also with the negative value as rs2 (the multiplier's signed rs2). Each case runs twice: first with its operands
 * loaded long before (the reference, a3 saved in a4), then with the operand loaded just before; the
 * two results must be equal.
 */
#include "test_macros.h"

/* `setup` runs before the operands are loaded, `code` leaves its result in a3. */
#define LOAD_USE(n, first, last, setup, code...)                                \
    TEST_NUM(n);                                                                \
    setup; lw a1, 0(s0); lw a2, 4(s0); TEST_NOPS(4); code; mv a4, a3;          \
    li a1, 0; li a2, 0; li a3, 0;                                               \
    setup; lw first, first##_offset(s0); lw last, last##_offset(s0); code;      \
    TEST_CHECK_REG(a3, a4)

/* The offsets of the operands in load_data: a1 at 0, a2 at 4. */
#define a1_offset 0
#define a2_offset 4

/* Setups: a scratch word cleared; mscratch set to a pattern, to all ones. */
#define CLEAR_SCRATCH sw x0, 24(s0)
#define MSCRATCH_PATTERN li a5, 0x00ff00ff; csrw mscratch, a5
#define MSCRATCH_ONES li a5, -1; csrw mscratch, a5

/* rs1 loaded just before, rs2 before it; then the other way round. */
#define USE_RS1(n, code...) LOAD_USE(n, a2, a1, nop, code)
#define USE_RS2(n, code...) LOAD_USE(n, a1, a2, nop, code)
#define USE_BOTH(n, code...) USE_RS1(n, code); USE_RS2(n + 1, code)

TEST_CODE_BEGIN

    la s0, load_data
    csrw mscratch, x0

    /* 1-36: register-register operations, M included */
    USE_BOTH(1, add a3, a1, a2)
    USE_BOTH(3, sub a3, a1, a2)
    USE_BOTH(5, sll a3, a1, a2)
    USE_BOTH(7, slt a3, a1, a2)
    USE_BOTH(9, sltu a3, a1, a2)
    USE_BOTH(11, xor a3, a1, a2)
    USE_BOTH(13, srl a3, a1, a2)
    USE_BOTH(15, sra a3, a1, a2)
    USE_BOTH(17, or a3, a1, a2)
    USE_BOTH(19, and a3, a1, a2)
    USE_BOTH(21, mul a3, a1, a2)
    USE_BOTH(23, mulh a3, a1, a2)
    USE_BOTH(25, mulhsu a3, a1, a2)
    USE_BOTH(27, mulhu a3, a1, a2)
    USE_BOTH(29, div a3, a1, a2)
    USE_BOTH(31, divu a3, a1, a2)
    USE_BOTH(33, rem a3, a1, a2)
    USE_BOTH(35, remu a3, a1, a2)

    /* 37-40, 111-132: the operations whose operands are not interchangeable, with the negative value as rs2 */
    USE_BOTH(37, sub a3, a2, a1)
    USE_BOTH(39, sll a3, a2, a1)
    USE_BOTH(111, slt a3, a2, a1)
    USE_BOTH(113, sltu a3, a2, a1)
    USE_BOTH(115, srl a3, a2, a1)
    USE_BOTH(117, sra a3, a2, a1)
    USE_BOTH(119, mulh a3, a2, a1)
    USE_BOTH(121, mulhsu a3, a2, a1)
    USE_BOTH(123, mulhu a3, a2, a1)
    USE_BOTH(125, div a3, a2, a1)
    USE_BOTH(127, divu a3, a2, a1)
    USE_BOTH(129, rem a3, a2, a1)
    USE_BOTH(131, remu a3, a2, a1)

    /* 41-49: immediate operations */
    USE_RS1(41, addi a3, a1, -7)
    USE_RS1(42, slli a3, a1, 3)
    USE_RS1(43, slti a3, a1, 5)
    USE_RS1(44, sltiu a3, a1, 5)
    USE_RS1(45, xori a3, a1, 0x555)
    USE_RS1(46, srli a3, a1, 3)
    USE_RS1(47, srai a3, a1, 3)
    USE_RS1(48, ori a3, a1, 0x0f0)
    USE_RS1(49, andi a3, a1, 0x0f0)

    /* 51-62: the six branches, each operand loaded just before; a3 says whether it was taken */
    USE_BOTH(51, li a3, 1; beq a1, a2, 1f; li a3, 0; 1:)
    USE_BOTH(53, li a3, 1; bne a1, a2, 1f; li a3, 0; 1:)
    USE_BOTH(55, li a3, 1; blt a1, a2, 1f; li a3, 0; 1:)
    USE_BOTH(57, li a3, 1; bge a1, a2, 1f; li a3, 0; 1:)
    USE_BOTH(59, li a3, 1; bltu a1, a2, 1f; li a3, 0; 1:)
    USE_BOTH(61, li a3, 1; bgeu a1, a2, 1f; li a3, 0; 1:)

    /* 71-75: loads whose base was just loaded (a pointer at 8) */
    LOAD_USE(71, a2, a1, nop, lw a1, 8(s0); lb a3, 0(a1))
    LOAD_USE(72, a2, a1, nop, lw a1, 8(s0); lh a3, 0(a1))
    LOAD_USE(73, a2, a1, nop, lw a1, 8(s0); lw a3, 0(a1))
    LOAD_USE(74, a2, a1, nop, lw a1, 8(s0); lbu a3, 0(a1))
    LOAD_USE(75, a2, a1, nop, lw a1, 8(s0); lhu a3, 0(a1))

    /* 81-86: stores whose address (a pointer at 8), then whose data was just loaded */
    LOAD_USE(81, a2, a1, nop, lw a1, 8(s0); sb a2, 4(a1); lw a3, 4(a1))
    LOAD_USE(82, a2, a1, nop, lw a1, 8(s0); sh a2, 4(a1); lw a3, 4(a1))
    LOAD_USE(83, a2, a1, nop, lw a1, 8(s0); sw a2, 4(a1); lw a3, 4(a1))
    LOAD_USE(84, a1, a2, CLEAR_SCRATCH, sb a2, 24(s0); lw a3, 24(s0))
    LOAD_USE(85, a1, a2, CLEAR_SCRATCH, sh a2, 24(s0); lw a3, 24(s0))
    LOAD_USE(86, a1, a2, CLEAR_SCRATCH, sw a2, 24(s0); lw a3, 24(s0))

    /* 91: jalr whose base was just loaded (a code address at 12) */
    LOAD_USE(91, a2, a1, nop, lw a1, 12(s0); jalr a5, 0(a1))

    /* 101-103: CSR instructions reading rs1 just loaded; mscratch is read back and cleared */
    USE_RS1(101, csrrw x0, mscratch, a1; csrrw a3, mscratch, x0)
    LOAD_USE(102, a2, a1, MSCRATCH_PATTERN, csrrs x0, mscratch, a1; csrrw a3, mscratch, x0)
    LOAD_USE(103, a2, a1, MSCRATCH_ONES, csrrc x0, mscratch, a1; csrrw a3, mscratch, x0)

    j 2f
    /* The target of case 91: a3 says it was reached; back to the return address. */
jalr_target:
    li a3, 0x77
    jr a5
2:

TEST_CODE_END

TEST_DATA_BEGIN
load_data:
    .word 0x8000a013           /*  0: a1, negative, odd */
    .word 0x00000005           /*  4: a2 */
    .word load_pointer         /*  8 */
    .word jalr_target          /* 12 */
    .word 0, 0, 0, 0           /* 16..31: scratch */
load_pointer:
    .word 0xcafe8081
    .word 0
TEST_DATA_END
