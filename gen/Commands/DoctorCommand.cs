using System.CommandLine;
using HwGen.Gen.Tools;

namespace HwGen.Cli.Commands;

/// <summary><c>hwgen doctor [--install]</c>: which external tools are present, and how to install the others.</summary>
internal static class DoctorCommand
{
    public static Command Create(CliContext context)
    {
        var install = new Option<bool>("--install")
        {
            Description = "Install the missing tools with apt-get (needs root on Debian), then show the table.",
        };
        var command = new Command("doctor", "Show which external tools are installed, with versions, and how to install the missing ones.")
        {
            install,
        };
        HwGenCommandLine.SetHandler(command, result => Run(context, result.GetValue(install)));
        return command;
    }

    private static ExitCode Run(CliContext context, bool install)
    {
        var tools = ExternalTools.All;
        if (install)
        {
            try
            {
                ToolInstaller.EnsureInstalled(tools, line => context.Out.WriteLine(line));
            }
            catch (ToolsMissingException)
            {
                ToolReport.WriteTable(context, tools);
                context.WriteError("cannot install the missing tools: that needs root on Debian (or a Debian-based system)");
                ToolReport.WriteInstallHint(context, tools);
                return ExitCode.UsageError;
            }
        }

        ToolReport.WriteTable(context, tools);
        return ToolReport.WriteInstallHint(context, tools) ? ExitCode.Success : ExitCode.UsageError;
    }
}
