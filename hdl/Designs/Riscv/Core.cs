using HwGen.Designs.Tags;
using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// An RV32I core with Zicsr and machine-mode traps (optionally M): an in-order five-stage pipeline, IF ID EX
/// MEM WB, with forwarding from registered results, branch prediction in fetch checked in execute, and one commit
/// point, the memory stage, where traps and interrupts are taken and nothing architectural changes before.
/// </summary>
/// <remarks>
/// Both buses are <see cref="SystemBus"/> masters (valid/ready requests, responses with wait states and an error):
/// <see cref="Instr"/> fetches, <see cref="Data"/> loads and stores. Without wait states fetch requests a word every
/// cycle and its response arrives in the next, when the instruction is in decode. A load or store goes out on the
/// data bus only when its instruction commits in the memory stage, and waits in writeback for its response.
/// <para>Access faults come from the buses' error responses: the core knows nothing of the memory map. A fetch
/// answered with an error is an instruction access fault (mtval = pc), carried down the pipeline with its
/// instruction and taken at the commit point. A load or store answered with an error is a load or store access
/// fault (mtval = the address), taken in the cycle the response arrives, while the instruction is in writeback, by
/// the memory stage's CSR unit and redirect. It is precise: while a load or store waits in writeback for its
/// response, the memory stage commits nothing (no CSR write, no bus request, no interrupt; its instruction waits),
/// and in the error's cycle the memory stage's instruction and every younger one are dropped. minstret counts an
/// instruction when it leaves writeback without a trap.</para>
/// <para>Pipeline control: the memory stage redirects fetch on an interrupt, a trap, <c>mret</c>, <c>fence.i</c> or
/// a misprediction found in execute, requesting the new address in the next cycle, and drops the younger
/// instructions in ID and EX (three bubbles). A value that is not in a register by the time its consumer reaches
/// execute sends bubbles to EX while the consumer waits in ID, presented again from the ID/EX register (fetch goes on
/// to its successor in the cycle the wait is found, and asks for it again while the consumer waits, so that the
/// fetched word steers no fetch address): a load's (two cycles: its word arrives raw in writeback), a CSR
/// read's and a comparison's (<c>slt</c>, <c>sltu</c>: one cycle; the memory stage forms them). A CSR instruction on
/// minstret waits until execute and memory are empty. A multiplication or division holds IF, ID and EX and sends
/// bubbles to MEM. An instruction in the memory stage that has to wait (its request not taken, an older access
/// without its response) stays there; the younger ones are dropped and fetched again when it commits. One control
/// unit, <see cref="PipelineControl"/>, tells every stage whether to hold or flush its output register. The stage
/// modules are <see cref="FetchStage"/> (with the predictors of BranchPredictor.cs), <see cref="DecodeStage"/>,
/// <see cref="ExecuteStage"/>, <see cref="MemoryStage"/> and <see cref="WritebackStage"/>; the records between them
/// are in StageBundles.cs.</para>
/// <para>With <see cref="CoreConfig.Tags"/> the core has a <see cref="TagUnit"/>: every register, the pc and every
/// word of the tagged memory carry a tag, and the memory stage commits an instruction only when the rule cache (read
/// in execute, compared there) or the PEX (<see cref="Pex"/>, on a miss, while the instruction waits) allows it; a
/// denial is a precise trap with mcause 24. The tag register file sits beside the registers in decode and is
/// forwarded with the same selects; the PC tag register is at the commit point.</para>
/// </remarks>
public sealed class Core : Module, IRiscvCore
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
        writeback = new WritebackStage(config);
        Trace = Out(new RetirementTrace(config.Tags is null ? RetirementFields.Table : TagTraceFields.Table));
        if (config.Tags is { } tags)
        {
            tagUnit = new TagUnit(tags);
            Pex = Out(new PexPort(tags));
            TagLoader = In(new TagLoaderPort(tags));
            CommitCiTag = Out(tags.TagWidth);
            DataRefused = In(1);
            DataIntent = Out(1);
            DataEarlyValid = Out(1);
            DataTaggedPending = Out(1);
            DataHit = Out(1);
        }
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

    /// <summary>The instruction bus: word fetches.</summary>
    public readonly SystemBus Instr = Out(new SystemBus());

    /// <summary>The data bus: loads and stores, each when its instruction commits.</summary>
    public readonly SystemBus Data = Out(new SystemBus());

    /// <summary>The machine timer's interrupt request and its count (mip.MTIP, the time CSR).</summary>
    public readonly Signal TimerInterrupt = In(1);
    public readonly Signal Mtime = In(64);

    /// <summary>One record per retired instruction (see <see cref="RetirementTrace"/>).</summary>
    public readonly RetirementTrace Trace;

    /// <summary>
    /// A tagged core (<see cref="CoreConfig.Tags"/>): the link to the policy coprocessor, and the port that writes tag
    /// memory while the core is held in reset. The trace then has the fields of <see cref="TagTraceFields.Table"/>.
    /// </summary>
    public readonly PexPort? Pex;
    public readonly TagLoaderPort? TagLoader;
    /// <summary>A tagged core: the tag of the instruction at the commit point, whose load or store is on <see cref="Data"/> (the caller's tag of a PEX call).</summary>
    public readonly Signal? CommitCiTag;
    /// <summary>
    /// A tagged core: the data bus would refuse the access <see cref="Data"/> presents (its address, direction and
    /// width, whether or not it is valid). Such a load or store traps by itself (an access fault) and is not checked.
    /// </summary>
    public readonly Signal? DataRefused;
    /// <summary>
    /// A tagged core: the load or store <see cref="Data"/> presents goes out if its instruction commits (from registers;
    /// every valid request has it), for the SoC to steer its RAM's address before the rule cache's hit decides.
    /// </summary>
    public readonly Signal? DataIntent;
    /// <summary>
    /// A tagged core: <see cref="Data"/>'s valid for a load or store outside tagged memory (the devices), from registers:
    /// such an access commits on the rule cache's hit of the cycle before (it waits a cycle at the commit point). Equal
    /// to <see cref="SystemBus.Valid"/> whenever the address lies outside tagged memory, else 0: the SoC selects its
    /// devices with it, so that their write enables do not wait for the rule compare.
    /// </summary>
    public readonly Signal? DataEarlyValid;
    /// <summary>
    /// A tagged core: <see cref="Data"/>'s valid for a load or store in tagged memory but for the rule cache's hit
    /// (<see cref="DataHit"/>), from registers: the valid is the two together whenever the address lies in tagged
    /// memory and the bus takes the access there. The SoC writes its RAM with the hit last (see <see cref="ApSoc"/>).
    /// </summary>
    public readonly Signal? DataTaggedPending;
    /// <summary>A tagged core: the rule cache's hit at the commit point, late in the cycle (see <see cref="DataTaggedPending"/>).</summary>
    public readonly Signal? DataHit;

    private readonly FetchStage fetch;
    private readonly DecodeStage decode;
    private readonly ExecuteStage execute;
    private readonly MemoryStage memory;
    private readonly WritebackStage writeback;
    private readonly TagUnit? tagUnit;
    private readonly PipelineControl control = new();

    protected override void Build()
    {
        control.Redirect.Set(memory.Redirect);
        control.MemoryWaits.Set(memory.Waits);
        control.ExecuteBusy.Set(execute.Busy);
        // The tag unit's single-port tag memory keeps the instruction in decode, if there is one (arrived now or presented
        // again), like an operand not ready.
        control.OperandNotReady.Set(tagUnit is null ? decode.LoadUseHazard
            : decode.LoadUseHazard | (tagUnit.Busy & (control.Replay | fetch.ToDecode.Valid)));

        fetch.Control.Set(control.Fetch);
        fetch.RedirectPc.Set(memory.RedirectPc);
        fetch.Resolved?.Set(memory.Resolved);
        Instr.Connect(fetch.Bus);

        decode.FromFetch.Set(fetch.ToDecode);
        decode.Instruction.Set(fetch.Word);
        decode.Control.Set(control.Decode);
        decode.Replay.Set(control.Replay);
        decode.RegisterWrite.Set(writeback.RegisterWrite);
        decode.PendingLoad.Set(memory.PendingLoad);
        decode.WaitingLoad.Set(memory.WaitingLoad);
        decode.MemoryValid.Set(memory.Occupied);
        decode.MemoryResult.Set(memory.ResultInWriteback);

        execute.FromDecode.Set(decode.ToExecute);
        execute.Rs1Value.Set(decode.Rs1Value);
        execute.Rs2Value.Set(decode.Rs2Value);
        execute.MemoryResult.Set(memory.Result);
        execute.ReturnPc.Set(memory.ReturnPc);
        execute.WritebackResult.Set(writeback.Result);
        execute.PredictedPc?.Set(fetch.ToDecode.Pc);
        execute.Control.Set(control.Execute);
        // The instruction in execute is dropped on a redirect and while the memory stage's instruction waits.
        execute.Abandon?.Set(memory.Redirect | memory.Waits);

        memory.FromExecute.Set(execute.ToMemory);
        memory.NextCsrSelect?.Set(execute.CsrSelect);
        memory.TimerInterrupt.Set(TimerInterrupt);
        memory.Mtime.Set(Mtime);
        memory.Counted.Set(writeback.Counted);
        Data.Connect(memory.Bus);

        writeback.FromMemory.Set(memory.ToWriteback);
        writeback.DataResponse.Set(memory.Response);
        writeback.DataRdata.Set(memory.ReadData);
        writeback.AccessFault.Set(memory.AccessFault);
        writeback.FaultCause.Set(memory.FaultCause);
        writeback.TrapVector.Set(memory.RedirectPc);
        writeback.TrappedPc.Set(memory.TrappedPc);
        Trace.Set(writeback.Trace);

        if (tagUnit is not null)
        {
            Pex!.Connect(tagUnit.Pex);
            memory.DataRefused!.Set(DataRefused!);
            DataIntent!.Set(memory.DataIntent!);
            DataEarlyValid!.Set(memory.DataEarlyValid!);
            DataTaggedPending!.Set(memory.DataTaggedPending!);
            DataHit!.Set(tagUnit.Check.Hit);
            TagLoader!.Connect(tagUnit.Loader);
            // The CI tag and the opgroup are read for the instruction in decode as it moves on to execute.
            tagUnit.FetchEnable.Set(~control.Decode.Hold);
            tagUnit.FetchPc.Set(decode.Pc!);
            tagUnit.Instruction.Set(decode.Word!);
            decode.RdTag!.Set(writeback.RdTag!);
            execute.Lookup!.Connect(tagUnit.Lookup);
            execute.Rs1Tag!.Set(decode.Rs1Tag!);
            execute.Rs2Tag!.Set(decode.Rs2Tag!);
            execute.PcTag!.Set(memory.PcTag!);
            execute.WritebackRdTag!.Set(writeback.RdTag!);
            memory.Check!.Connect(tagUnit.Check);
            CommitCiTag!.Set(memory.CiTag!);
        }
    }

    Module IRiscvCore.Module => this;
    SystemBus IRiscvCore.Instr => Instr;
    SystemBus IRiscvCore.Data => Data;
    Signal IRiscvCore.TimerInterrupt => TimerInterrupt;
    Signal IRiscvCore.Mtime => Mtime;
    RetirementTrace IRiscvCore.Trace => Trace;
    PexPort? IRiscvCore.Pex => Pex;
    TagLoaderPort? IRiscvCore.TagLoader => TagLoader;
    Signal? IRiscvCore.CommitCiTag => CommitCiTag;
    Signal? IRiscvCore.DataRefused => DataRefused;
    Signal? IRiscvCore.DataIntent => DataIntent;
    Signal? IRiscvCore.DataEarlyValid => DataEarlyValid;
    Signal? IRiscvCore.DataTaggedPending => DataTaggedPending;
    Signal? IRiscvCore.DataHit => DataHit;
}
