using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>What the control unit tells a stage to do with the register it fills for the next stage.</summary>
public sealed class StageControl : Bundle
{
    /// <summary>Keep the register as it is: the next stage keeps its instruction.</summary>
    public readonly Signal Hold = Bool();
    /// <summary>Fill the register with a bubble: the instruction in this stage is dropped or does not move on. Overrides <see cref="Hold"/>.</summary>
    public readonly Signal Flush = Bool();
}

/// <summary>
/// The pipeline's control unit: from the stages' requests (a redirect from the commit point, the commit point's
/// instruction that must wait, an operand not ready in decode, a multi-cycle unit busy in execute) it decides, in
/// one place, what every stage does with its output register.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>event</term><description>fetch (pc) · decode (ID/EX) · execute (EX/MEM)</description></listheader>
/// <item><term>redirect (MEM)</term><description>new pc (requested in the next cycle) · bubble · bubble (a unit in execute is abandoned)</description></item>
/// <item><term>memory waits (MEM)</term><description>goes on · bubble · hold (a unit in execute is abandoned)</description></item>
/// <item><term>execute busy</term><description>hold · hold · bubble</description></item>
/// <item><term>operand not ready (decode)</term><description>goes on · bubble, and the instruction is presented again · moves on</description></item>
/// <item><term>presented again (registered)</term><description>hold · as decode's instruction decides · as above</description></item>
/// </list>
/// The events are listed in order of priority. An operand not ready is found from the word the instruction bus delivers
/// in the same cycle, so it steers no address: fetch goes on to the instruction's successor, and decode keeps the
/// instruction it sent to execute as a bubble (the execute register's fields, loaded with the bubble) and presents it
/// again from there in the next cycle (<see cref="Replay"/>, a register), while fetch, told by that register, asks for
/// the successor again until the instruction moves on. So the fetched word reaches decode's flush and no further.
/// <para>While the memory stage's instruction waits (its load or store is not taken by the bus, an older load or store waits for its response, or it reads minstret while an older
/// instruction has still to be counted) it stays there, and the younger instructions in decode and execute are
/// dropped: their operands were read for the cycle they would have moved on in (the register file reads for the
/// instruction in decode every cycle). The memory stage fetches them again when its instruction commits, as after
/// <c>fence.i</c>. The writeback stage holds its own instruction while it waits for a response.</para>
/// </remarks>
public sealed class PipelineControl : Module
{
    /// <summary>The memory stage redirects fetch: everything younger is on the wrong path.</summary>
    public readonly Signal Redirect = In(1);
    /// <summary>The memory stage's instruction can neither commit nor trap this cycle: it stays there.</summary>
    public readonly Signal MemoryWaits = In(1);
    /// <summary>The execute stage's instruction needs more cycles.</summary>
    public readonly Signal ExecuteBusy = In(1);
    /// <summary>The decode stage holds an instruction, and it needs a value that will not be in a register in time.</summary>
    public readonly Signal OperandNotReady = In(1);

    /// <summary>
    /// Decode presents again the instruction it sent to execute as a bubble in the previous cycle (an operand not ready):
    /// its fields are those of the execute register. From a register: fetch keeps its address while it is 1.
    /// </summary>
    public readonly Signal Replay = Out(1);

    public readonly StageControl Fetch = Out(new StageControl());
    public readonly StageControl Decode = Out(new StageControl());
    public readonly StageControl Execute = Out(new StageControl());

    private readonly Signal replay = Reg(1, reset: 0);

    protected override void Build()
    {
        // An instruction sent on as a bubble only because its operand is not ready is presented again; one dropped by a
        // redirect or by the memory stage's wait is not (the redirect, or the waiting instruction's refetch, fetches it).
        var bubble = (OperandNotReady & ~ExecuteBusy).Named("operandBubble");
        replay.Set(bubble & ~Redirect & ~MemoryWaits);
        Replay.Set(replay);
        Fetch.Flush.Set(Redirect);
        Fetch.Hold.Set(ExecuteBusy | replay);
        Decode.Flush.Set(Redirect | MemoryWaits | bubble);
        Decode.Hold.Set(ExecuteBusy);
        Execute.Flush.Set(Redirect | ExecuteBusy);
        // A redirect and a wait never meet (the memory stage's instruction waits only when it neither leaves nor traps):
        // the hold is the wait alone, and the redirect, which may come late in the cycle (a tagged core's miss), reaches
        // only the flush, that is the registers' valid bits.
        Execute.Hold.Set(MemoryWaits);
    }
}
