using Mergepoints.Middleware.Sessions;
using Mergepoints.Middleware.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Mergepoints.Testing;

namespace Mergepoints.Middleware.Tests.Sessions;

public sealed class SessionCookieTests : IDisposable
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private readonly TempDirectory _keys = new();

    [Fact]
    public void A_cookie_reads_back_as_the_user_and_stamp_it_was_made_for()
    {
        var cookie = new SessionCookie(Provider(_keys.Path), Day);

        var value = cookie.Protect("user-1", "stamp-1");

        Assert.Equal(("user-1", "stamp-1"), cookie.Unprotect(value));
        Assert.DoesNotContain("user-1", value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tampered_cookie_is_no_session()
    {
        var cookie = new SessionCookie(Provider(_keys.Path), Day);
        var value = cookie.Protect("user-1", "stamp-1");
        var middle = value.Length / 2;

        var tampered = value[..middle] + (value[middle] == 'A' ? 'B' : 'A') + value[(middle + 1)..];

        Assert.Null(cookie.Unprotect(tampered));
        Assert.Null(cookie.Unprotect(value[..^4]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a session")]
    [InlineData("%%%")]
    public void A_value_that_was_never_a_cookie_is_no_session(string value) =>
        Assert.Null(new SessionCookie(Provider(_keys.Path), Day).Unprotect(value));

    [Fact]
    public void A_cookie_from_another_key_ring_is_no_session()
    {
        using var otherKeys = new TempDirectory();
        var value = new SessionCookie(Provider(otherKeys.Path), Day).Protect("user-1", "stamp-1");

        Assert.Null(new SessionCookie(Provider(_keys.Path), Day).Unprotect(value));
    }

    [Fact]
    public void An_expired_cookie_is_no_session()
    {
        // A lifetime already over: the cookie expired before anyone read it, no waiting needed.
        var expired = new SessionCookie(Provider(_keys.Path), TimeSpan.FromSeconds(-1)).Protect("user-1", "stamp-1");

        Assert.Null(new SessionCookie(Provider(_keys.Path), Day).Unprotect(expired));
    }

    [Fact]
    public void Instances_sharing_a_key_directory_read_each_others_cookies()
    {
        var first = new SessionCookie(Provider(_keys.Path), Day);
        var second = new SessionCookie(Provider(_keys.Path), Day);

        Assert.Equal(("user-1", "stamp-1"), second.Unprotect(first.Protect("user-1", "stamp-1")));
        Assert.Equal(("user-2", "stamp-2"), first.Unprotect(second.Protect("user-2", "stamp-2")));
    }

    public void Dispose() => _keys.Dispose();

    // What each host instance does: its own provider over the one key directory they share.
    private static IDataProtectionProvider Provider(string keyDirectory) =>
        DataProtectionProvider.Create(new DirectoryInfo(keyDirectory), builder => builder.SetApplicationName("mergepoints"));
}
