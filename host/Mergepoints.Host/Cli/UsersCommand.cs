using System.CommandLine;
using Mergepoints.Host.Serving;
using Mergepoints.Middleware.Users;

namespace Mergepoints.Host.Cli;

/// <summary>
/// <c>mergepoints users add NAME --password PW [--admin]</c> and <c>mergepoints users admin NAME [--off]</c>: how the
/// first admin comes to be (after that, admins make admins in the admin's pages).
/// </summary>
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
        return new Command("users", "Manage user accounts.") { add, CreateAdmin() };
    }

    private static Command CreateAdmin()
    {
        var name = new Argument<string>("NAME") { Description = "The user name of a registered user." };
        var off = new Option<bool>("--off") { Description = "Unmake the admin instead." };
        var data = DataOption.Create();
        var admin = new Command("admin", "Make an existing user an admin (or, with --off, an admin a user again).") { name, off, data };
        admin.SetAction(async (parse, cancellationToken) =>
        {
            var (userName, isAdmin) = (parse.GetRequiredValue(name), !parse.GetValue(off));
            var datastore = DatastoreSettings.Open(DatastoreSettings.LoadConfiguration(), DataOption.Resolve(parse.GetValue(data)));
            await DatastoreSettings.MigrateAsync(datastore, cancellationToken);
            var users = new UserStore(datastore);
            var user = await users.FindByNameAsync(userName, cancellationToken)
                ?? throw new UsageException($"there is no user {userName}: register first, or use users add");
            await users.SetAdminAsync(userName, isAdmin, cancellationToken);
            Console.WriteLine(isAdmin ? $"{user.Name} is an admin now." : $"{user.Name} is no longer an admin.");
            return 0;
        });
        return admin;
    }
}
