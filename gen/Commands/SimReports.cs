using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml.Linq;
using HwGen.Sim.Run;
using Spectre.Console;

namespace HwGen.Cli.Commands;

/// <summary>One program's run: the name it was given under, its result, and the wall-clock time it took.</summary>
internal sealed record ProgramRun(string Name, SimResult Result, TimeSpan Time)
{
    /// <summary>
    /// The number of the first failing test when the program reports one: a failing program's exit code (riscv-tests and
    /// the ISA suite end a failing case <c>n</c> with <c>(n &lt;&lt; 1) | 1</c> in <c>tohost</c>).
    /// </summary>
    public int? FailingTest => Result.Status == SimStatus.Failed && Result.ExitCode > 0 ? Result.ExitCode : null;
}

/// <summary>The reports of <c>hwgen sim</c>: the summary line, the table, JSON and JUnit XML, and the exit code.</summary>
internal static class SimReports
{
    public static string StatusName(SimStatus status) => status.ToString().ToLowerInvariant();

    public static ExitCode ExitCodeOf(SimStatus status) => status switch
    {
        SimStatus.Passed => ExitCode.Success,
        SimStatus.Failed => ExitCode.Failure,
        SimStatus.Violation => ExitCode.PolicyViolation,
        SimStatus.Divergence => ExitCode.Divergence,
        SimStatus.Timeout => ExitCode.CycleLimit,
        _ => ExitCode.Failure,
    };

    /// <summary>How bad an exit code is, for the worst of many runs: divergence, violation, cycle limit, failure, success.</summary>
    public static int Severity(ExitCode code) => code switch
    {
        ExitCode.Success => 0,
        ExitCode.Failure => 1,
        ExitCode.CycleLimit => 2,
        ExitCode.PolicyViolation => 3,
        ExitCode.Divergence => 4,
        _ => 5,
    };

    /// <summary>One line: the outcome, the instructions, cycles and CPI, and the trap the program took last.</summary>
    public static string Summary(SimResult r)
    {
        var status = r.Status switch
        {
            SimStatus.Passed => "passed",
            SimStatus.Failed => $"failed with exit code {r.ExitCode}",
            SimStatus.Divergence => "diverged from the golden model",
            SimStatus.Timeout => "stopped at the cycle limit",
            SimStatus.Violation => r.Violations.Count == 1 ? "the policy denied an instruction" : $"the policy denied {r.Violations.Count} instructions",
            _ => StatusName(r.Status),
        };
        var trap = r.Trap is { } t ? $"; {(r.Status == SimStatus.Divergence ? "the diverging instruction trapped" : "last trap")}: {t.Description} at 0x{t.Pc:x8}" : "";
        var denied = r.Violations.Count > 0 ? $"; first denial: {Describe(r.Violations[0])}" : "";
        var cache = r.RuleCache is { } c
            ? $"; rule cache: {c.Lookups} lookups, {c.HitRate:P2} hits, {c.Misses} misses, {c.Evictions} evictions, {c.PexCyclesPerMiss:F1} PEX cycles per miss"
            : "";
        return $"{status}: {r.Instret} instructions in {r.Cycles} cycles (CPI {r.Cpi:F3}){trap}{denied}{cache}";
    }

    /// <summary>A denial as a person reads it: the policy, its reason, the pc and the instruction.</summary>
    public static string Describe(HwGen.Sim.Policy.Violation v) =>
        $"{v.Policy}: {v.Reason} at 0x{v.Pc:x8} ({HwGen.Sim.Model.Disassembler.Disassemble(v.Insn, v.Pc)})";

    /// <summary>The line under the table: how many programs ended how, and the time of the whole run.</summary>
    public static string BatchSummary(IReadOnlyList<ProgramRun> runs, TimeSpan elapsed)
    {
        var counts = Enum.GetValues<SimStatus>()
            .Select(s => (Status: s, Count: runs.Count(r => r.Result.Status == s)))
            .Where(c => c.Count > 0)
            .Select(c => $"{c.Count} {StatusName(c.Status)}");
        return $"{runs.Count} programs: {string.Join(", ", counts)} in {elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s";
    }

    /// <summary>A row per program: status, exit code, cycles, instructions, CPI, time and the first failing test.</summary>
    public static Table Table(IReadOnlyList<ProgramRun> runs)
    {
        var table = new Table();
        table.AddColumns("program", "status", "exit code", "cycles", "instret", "CPI", "time (s)", "failing test");
        foreach (var column in table.Columns.Skip(2))
            column.RightAligned();
        foreach (var run in runs)
        {
            var r = run.Result;
            table.AddRow(Markup.Escape(run.Name), StatusName(r.Status), r.ExitCode.ToString(CultureInfo.InvariantCulture),
                r.Cycles.ToString(CultureInfo.InvariantCulture), r.Instret.ToString(CultureInfo.InvariantCulture),
                r.Cpi.ToString("F3", CultureInfo.InvariantCulture), run.Time.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                run.FailingTest?.ToString(CultureInfo.InvariantCulture) ?? "");
        }
        return table;
    }

    /// <summary>The JSON object of one run (camelCase, the fields of <c>hwgen sim --json</c>).</summary>
    public static string Json(ProgramRun run) => JsonSerializer.Serialize(ToJson(run), JsonOptions);

    /// <summary>A JSON array of the runs' objects.</summary>
    public static string Json(IReadOnlyList<ProgramRun> runs) => JsonSerializer.Serialize(runs.Select(ToJson), JsonOptions);

    private static object ToJson(ProgramRun run)
    {
        var r = run.Result;
        return new
        {
            program = run.Name,
            status = StatusName(r.Status),
            exitCode = r.ExitCode,
            failingTest = run.FailingTest,
            cycles = r.Cycles,
            instret = r.Instret,
            cpi = Math.Round(r.Cpi, 4),
            seconds = Math.Round(run.Time.TotalSeconds, 3),
            uart = r.Uart,
            trap = r.Trap is { } t ? new { cause = t.Cause, pc = $"0x{t.Pc:x8}", description = t.Description } : null,
            violations = r.Violations.Select(v => new { pc = $"0x{v.Pc:x8}", insn = $"0x{v.Insn:x8}", policy = v.Policy, reason = v.Reason }),
            ruleCache = r.RuleCache is { } c
                ? new { lookups = c.Lookups, hits = c.Hits, misses = c.Misses, evictions = c.Evictions, pexCycles = c.PexCycles }
                : null,
            divergence = r.Divergence is { } d
                ? new
                {
                    field = d.Difference.Field,
                    rtl = $"0x{d.Difference.Rtl:x8}",
                    model = $"0x{d.Difference.Model:x8}",
                    order = d.Order,
                    cycle = d.Cycle,
                    wave = d.WavePath,
                }
                : null,
        };
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A JUnit XML report, UTF-8: one test suite, a test case per program; a failed program, a violation or a divergence is a <c>failure</c>, a program stopped
    /// at the cycle limit an <c>error</c> (it gave no verdict). The UART output goes to <c>system-out</c>.
    /// </summary>
    public static byte[] Junit(IReadOnlyList<ProgramRun> runs, TimeSpan elapsed)
    {
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture);
        int errors = runs.Count(r => r.Result.Status == SimStatus.Timeout);
        int failures = runs.Count(r => r.Result.Status is not (SimStatus.Passed or SimStatus.Timeout));
        var cases = runs.Select(run =>
        {
            var r = run.Result;
            var testCase = new XElement("testcase",
                new XAttribute("name", run.Name),
                new XAttribute("classname", "hwgen.sim"),
                new XAttribute("time", Seconds(run.Time)));
            if (r.Status != SimStatus.Passed)
            {
                var message = Summary(r) + (run.FailingTest is { } n ? $"; first failing test {n}" : "");
                testCase.Add(new XElement(r.Status == SimStatus.Timeout ? "error" : "failure",
                    new XAttribute("type", StatusName(r.Status)),
                    new XAttribute("message", XmlSafe(message)),
                    XmlSafe(r.Divergence?.Describe() ?? message)));
            }
            if (r.Uart.Length > 0)
                testCase.Add(new XElement("system-out", XmlSafe(r.Uart)));
            return testCase;
        });
        var suite = new XElement("testsuite",
            new XAttribute("name", "hwgen sim"),
            new XAttribute("tests", runs.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors),
            new XAttribute("skipped", 0),
            new XAttribute("time", Seconds(elapsed)),
            new XAttribute("timestamp", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            cases);
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites",
            new XAttribute("name", "hwgen sim"),
            new XAttribute("tests", runs.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors),
            new XAttribute("time", Seconds(elapsed)),
            suite));

        using var buffer = new MemoryStream();
        using (var writer = System.Xml.XmlWriter.Create(buffer, new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = true }))
            document.Save(writer);
        return buffer.ToArray();
    }

    /// <summary>The text with the characters XML 1.0 cannot carry (control characters a program may print) as <c>\xNN</c>.</summary>
    private static string XmlSafe(string text) =>
        string.Concat(text.Select(c => XmlCharOk(c) ? c.ToString() : $"\\x{(int)c:x2}"));

    private static bool XmlCharOk(char c) => c is '\t' or '\n' or '\r' || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF && !char.IsSurrogate(c));

    /// <summary>The worst exit code of <paramref name="runs"/> (see <see cref="Severity"/>).</summary>
    public static ExitCode Worst(IEnumerable<ProgramRun> runs) =>
        runs.Select(r => ExitCodeOf(r.Result.Status)).DefaultIfEmpty(ExitCode.Success).MaxBy(Severity);
}
