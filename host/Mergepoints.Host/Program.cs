using System.CommandLine;
using Mergepoints.Host.Cli;
using Mergepoints.Host.Configuration;
using Mergepoints.Host.Slots;

// Exit codes: 0 done, 1 failed while running, 2 the command line or the config is wrong, or every slot is taken (nothing was started).
var root = new RootCommand("Mergepoints: mounts independent web apps (OWIN, ASP.NET Core, assemblies, remote services) under one host.")
{
    ServeCommand.Create(),
    MigrateCommand.Create(),
    WorkerCommand.Create(),
    UsersCommand.Create(),
    DiffCommand.Create(),
    MashCommand.Create(),
    DemoCommand.Create(),
};

// `serve` is the default command: `mergepoints --urls ...` means `mergepoints serve --urls ...`.
if (args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("-h" or "--help" or "-?" or "--version")))
{
    args = ["serve", .. args];
}

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    Console.Error.WriteLine($"mergepoints: {parse.Errors[0].Message} (see mergepoints --help)");
    return 2;
}
try
{
    // The host handles SIGTERM itself, to let requests in flight finish; the parser must not race it.
    return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is ConfigException or UsageException or NoFreeSlotException)
{
    Console.Error.WriteLine($"mergepoints: {e.Message}");
    return 2;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"mergepoints: cannot start: {e.Message}");
    return 1;
}
catch (Exception e)
{
    // Whatever else stops the host (a database it cannot reach, a failed migration, a bad setting in
    // appsettings.json) is one line too; the log above it has the details.
    Console.Error.WriteLine($"mergepoints: {e.GetType().Name}: {e.Message}");
    return 1;
}
