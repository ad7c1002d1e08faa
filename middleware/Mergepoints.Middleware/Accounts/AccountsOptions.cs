namespace Mergepoints.Middleware.Accounts;

/// <summary>The accounts' settings (section <c>Accounts</c> of appsettings.json).</summary>
public sealed class AccountsOptions
{
    /// <summary>How long a sign-in lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Login and register attempts one address may make in a minute.</summary>
    public int LoginsPerAddressPerMinute { get; set; } = 20;

    /// <summary>Login attempts for one user name in a minute, whatever the address.</summary>
    public int LoginsPerUserPerMinute { get; set; } = 5;
}
