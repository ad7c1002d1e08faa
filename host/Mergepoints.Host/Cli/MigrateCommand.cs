using System.CommandLine;
using Mergepoints.Host.Serving;

namespace Mergepoints.Host.Cli;

/// <summary><c>mergepoints migrate</c>: applies every app's pending migrations, as <c>serve</c> does at start.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var data = DataOption.Create();
        var command = new Command("migrate", "Apply every app's pending database migrations (serve does this at start too); a no-op when up to date.") { data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var datastore = DatastoreSettings.Open(DatastoreSettings.LoadConfiguration(), DataOption.Resolve(parse.GetValue(data)));
            var applied = await DatastoreSettings.MigrateAsync(datastore, cancellationToken);
            Console.WriteLine(applied.Count == 0 ? $"{datastore.Description}: up to date." : $"{datastore.Description}: applied {string.Join("; ", applied)}.");
            return 0;
        });
        return command;
    }
}
