using System.Net;
using Mergepoints.Middleware.Accounts;

namespace Mergepoints.Middleware.Tests.Accounts;

public sealed class AddressPartitionTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Logins_are_throttled_per_IPv4_address_and_per_IPv6_64(string address, string partition) =>
        Assert.Equal(partition, AccountsApp.AddressPartition(IPAddress.Parse(address)));
}
