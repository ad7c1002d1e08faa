using System.CommandLine;
using Mergepoints.Host.Serving;
using Mergepoints.Middleware.Users;

namespace Mergepoints.Host.Cli;

/// <summary><c>mergepoints users add NAME --password PW [--admin]</c>: how the first admin comes to be.</summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The user name." };
        var password = new Option<string>("--password") { Description = "The password (at least 8 characters).", Required = true };
        var admin = new Option<bool>("--admin") { Description = "Make the user an admin." };
        var data = DataOption.Create();
        var add = new Command("add", "Create a user, for example the first admin.") { name, password, admin, data };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var (userName, userPassword) = (parse.GetRequiredValue(name), parse.GetRequiredValue(password));
            if ((UserStore.NameProblem(userName) ?? UserStore.PasswordProblem(userPassword, userName)) is { } problem)
            {
                throw new UsageException(problem);
            }
            var datastore = DatastoreSettings.Open(DatastoreSettings.LoadConfiguration(), DataOption.Resolve(parse.GetValue(data)));
            await DatastoreSettings.MigrateAsync(datastore, cancellationToken);
            var user = await new UserStore(datastore).CreateAsync(userName, userPassword, parse.GetValue(admin), cancellationToken)
                ?? throw new UsageException($"the name {userName} is taken");
            Console.WriteLine($"Created {(user.IsAdmin ? "admin" : "user")} {user.Name} in {datastore.Description}.");
            return 0;
        });
        return new Command("users", "Manage user accounts.") { add };
    }
}
