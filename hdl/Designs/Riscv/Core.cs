using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// An RV32I core with Zicsr and machine-mode traps (optionally M): an in-order five-stage pipeline, IF ID EX
/// MEM WB, with forwarding from registered results, branch prediction in fetch checked in execute, and one commit
/// point, the memory stage, where traps and interrupts are taken and nothing architectural changes before.
/// </summary>
/// <remarks>
/// Both buses are synchronous memories with one cycle of latency and no wait states: the address and the
/// request go out in one cycle, the read data comes back in the next. The instruction bus is read every
/// cycle unless <c>InstrGrant</c> refuses the request (a RAM port shared with the data bus). On the data bus a
/// store writes the bytes of <c>DataWdata</c> whose <c>DataBe</c> bit is 1; a load or store goes out only when its
/// instruction commits.
/// <para>Pipeline control: the memory stage redirects fetch on an interrupt, a trap, <c>mret</c>, <c>fence.i</c> or
/// a misprediction found in execute, requesting the new address in the same cycle, and drops the younger
/// instructions in ID and EX (two bubbles). A value that is not in a register by the time its consumer reaches
/// execute holds IF and ID and sends bubbles to EX: a load's (two cycles: its word arrives raw in writeback), a CSR
/// read's and a comparison's (<c>slt</c>, <c>sltu</c>: one cycle; the memory stage forms them). A CSR instruction on
/// minstret waits until execute and memory are empty. A multiplication or division holds IF, ID and EX and sends
/// bubbles to MEM. One control unit, <see cref="PipelineControl"/>, tells every stage whether to hold or flush its
/// output register. The stage modules are <see cref="FetchStage"/> (with the predictors of BranchPredictor.cs),
/// <see cref="DecodeStage"/>, <see cref="ExecuteStage"/>, <see cref="MemoryStage"/> and <see cref="WritebackStage"/>;
/// the records between them are in StageBundles.cs.</para>
/// </remarks>
public sealed class Core : Module
{
    public Core(CoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        fetch = new FetchStage(config);
        decode = new DecodeStage(config);
        execute = new ExecuteStage(config);
        memory = new MemoryStage(config);
    }

    public CoreConfig Config { get; }

    [Parameter]
    public uint ResetPc => Config.ResetPc;

    [Parameter]
    public bool WithM => Config.WithM;

    [Parameter]
    public BranchPredictorKind BranchPredictor => Config.BranchPredictor;

    [Parameter]
    public int BtbEntries => Config.BtbEntries;

    // Instruction bus
    public readonly Signal InstrReq = Out(1);
    public readonly Signal InstrAddr = Out(32);
    public readonly Signal InstrRdata = In(32);
    /// <summary>
    /// 1 when the instruction memory takes this cycle's request; 0 when it is busy with the data bus (one RAM port
    /// for both): the fetch is repeated and the pipeline gets a bubble. Tie to 1 for separate instruction and data ports.
    /// </summary>
    public readonly Signal InstrGrant = In(1);

    // Data bus
    public readonly Signal DataReq = Out(1);
    public readonly Signal DataWe = Out(1);
    public readonly Signal DataAddr = Out(32);
    public readonly Signal DataBe = Out(4);
    public readonly Signal DataWdata = Out(32);
    public readonly Signal DataRdata = In(32);

    /// <summary>The machine timer's interrupt request and its count (mip.MTIP, the time CSR).</summary>
    public readonly Signal TimerInterrupt = In(1);
    public readonly Signal Mtime = In(64);

    /// <summary>One record per retired instruction (see <see cref="RetirementTrace"/>).</summary>
    public readonly RetirementTrace Trace = Out(new RetirementTrace());

    private readonly FetchStage fetch;
    private readonly DecodeStage decode;
    private readonly ExecuteStage execute;
    private readonly MemoryStage memory;
    private readonly WritebackStage writeback = new();
    private readonly PipelineControl control = new();

    protected override void Build()
    {
        control.Redirect.Set(memory.Redirect);
        control.ExecuteBusy.Set(execute.Busy);
        control.OperandNotReady.Set(decode.LoadUseHazard);

        fetch.Control.Set(control.Fetch);
        fetch.Grant.Set(InstrGrant);
        fetch.RedirectPc.Set(memory.RedirectPc);
        fetch.Instruction?.Set(InstrRdata);
        fetch.Resolved?.Set(memory.Resolved);
        InstrReq.Set(fetch.InstrReq);
        InstrAddr.Set(fetch.InstrAddr);

        decode.FromFetch.Set(fetch.ToDecode);
        decode.Instruction.Set(InstrRdata);
        decode.Control.Set(control.Decode);
        decode.RegisterWrite.Set(writeback.RegisterWrite);
        decode.PendingLoad.Set(memory.PendingLoad);
        decode.MemoryValid.Set(memory.Occupied);
        decode.MemoryResult.Set(memory.ResultInWriteback);

        execute.FromDecode.Set(decode.ToExecute);
        execute.Rs1Value.Set(decode.Rs1Value);
        execute.Rs2Value.Set(decode.Rs2Value);
        execute.MemoryResult.Set(memory.Result);
        execute.WritebackResult.Set(writeback.Result);
        execute.PredictedPc?.Set(fetch.ToDecode.Pc);
        execute.Control.Set(control.Execute);
        execute.Abandon?.Set(memory.Redirect);

        memory.FromExecute.Set(execute.ToMemory);
        memory.TimerInterrupt.Set(TimerInterrupt);
        memory.Mtime.Set(Mtime);
        DataReq.Set(memory.DataReq);
        DataWe.Set(memory.DataWe);
        DataAddr.Set(memory.DataAddr);
        DataBe.Set(memory.DataBe);
        DataWdata.Set(memory.DataWdata);

        writeback.FromMemory.Set(memory.ToWriteback);
        writeback.DataRdata.Set(DataRdata);
        Trace.Set(writeback.Trace);
    }
}
