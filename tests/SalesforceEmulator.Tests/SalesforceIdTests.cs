using SalesforceEmulator.Protocol;

namespace SalesforceEmulator.Tests;

public sealed class SalesforceIdTests
{
    [Theory]
    [InlineData("00DgK000000OMLx", "00DgK000000OMLxUAO")]
    [InlineData("005gK000000TSnJ", "005gK000000TSnJQAW")]
    [InlineData("00DB0000000ToZ3", "00DB0000000ToZ3MAK")]
    [InlineData("005B0000005V71X", "005B0000005V71XIAS")]
    public void ChecksumMatchesRealSalesforceIds(string id15, string id18)
    {
        Assert.Equal(id18, SalesforceId.To18(id15));
        Assert.Equal(id18, SalesforceId.To18(id18));
        Assert.True(SalesforceId.IsValid(id18, id15[..3]));
    }

    [Theory]
    [InlineData("00DgK000000OMLxAAA", "00D")]
    [InlineData("005gK000000TSnJ", "00D")]
    [InlineData("00DgK000000OML", "00D")]
    [InlineData("00DgK000000OML!", "00D")]
    public void InvalidIdsAreRejected(string id, string prefix) => Assert.False(SalesforceId.IsValid(id, prefix));
}
