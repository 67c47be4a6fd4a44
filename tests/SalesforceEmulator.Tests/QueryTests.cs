using System.Net;
using System.Text.Json;

namespace SalesforceEmulator.Tests;

/// <summary>The REST API's query resource over the emulator's users, and Salesforce's error array for everything it refuses.</summary>
public sealed class QueryTests
{
    private static readonly Dictionary<string, string?> TwoOrgs = new()
    {
        ["Emulator:Orgs:0:Id"] = "00DgK000000OMLx",
        ["Emulator:Users:0:Id"] = "0055g00000OTHER",
        ["Emulator:Users:0:Username"] = "colleague@example.com",
        ["Emulator:Users:0:Password"] = "pw",
        ["Emulator:Users:0:FirstName"] = "Col",
        ["Emulator:Users:0:LastName"] = "League",
        ["Emulator:Users:1:Id"] = "005gK000000TSnJ",
        ["Emulator:Users:1:OrgId"] = "00DgK000000OMLx",
        ["Emulator:Users:1:Username"] = "foreign@example.com",
        ["Emulator:Users:1:Password"] = "pw",
    };

    [Fact]
    public async Task QueryAnswersTheCallersOrgUsersInSalesforcesShape()
    {
        using var factory = new EmulatorFactory(TwoOrgs);
        using var client = factory.CreateClient();
        var body = await QueryAsync(client, "SELECT Id, Username, IsActive FROM User", HttpStatusCode.OK);

        Assert.Equal(["done", "records", "totalSize"], Salesforce.Names(body));
        Assert.Equal(2, body.GetProperty("totalSize").GetInt32());
        Assert.True(body.GetProperty("done").GetBoolean());
        var records = body.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["colleague@example.com", Salesforce.Username], records.Select(r => r.GetProperty("Username").GetString()!).ToArray());
        var demo = records[1];
        Assert.Equal(["attributes", "Id", "Username", "IsActive"], demo.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("User", demo.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("/services/data/v65.0/sobjects/User/0055g00000DEMOUAA5", demo.GetProperty("attributes").GetProperty("url").GetString());
        Assert.Equal("0055g00000DEMOUAA5", demo.GetProperty("Id").GetString());
        Assert.Equal(JsonValueKind.True, demo.GetProperty("IsActive").ValueKind);
    }

    [Theory]
    [InlineData("SELECT Name FROM User WHERE Id = '0055g00000DEMOU'")]
    [InlineData("SELECT Name FROM User WHERE Id = '0055g00000DEMOUAA5'")]
    [InlineData("select name from user where username = 'DEMO@example.com'")]
    [InlineData("SELECT Name FROM User WHERE Username = 'demo@example.com' LIMIT 1")]
    public async Task WhereIdOrUsernameSelectsOneUserAndFieldsTakeTheirCanonicalNames(string soql)
    {
        using var factory = new EmulatorFactory(TwoOrgs);
        using var client = factory.CreateClient();
        var body = await QueryAsync(client, soql, HttpStatusCode.OK);

        Assert.Equal(1, body.GetProperty("totalSize").GetInt32());
        Assert.Equal("Demo User", body.GetProperty("records")[0].GetProperty("Name").GetString());
    }

    [Fact]
    public async Task LimitCapsTheRecordsAndAnotherOrgsUserIsNeverFound()
    {
        using var factory = new EmulatorFactory(TwoOrgs);
        using var client = factory.CreateClient();
        var limited = await QueryAsync(client, "SELECT Id FROM User LIMIT 1", HttpStatusCode.OK);
        var foreign = await QueryAsync(client, "SELECT Id FROM User WHERE Username = 'foreign@example.com'", HttpStatusCode.OK);

        Assert.Equal(1, limited.GetProperty("totalSize").GetInt32());
        Assert.Single(limited.GetProperty("records").EnumerateArray());
        Assert.Equal("{\"totalSize\":0,\"done\":true,\"records\":[]}", foreign.GetRawText());
    }

    [Theory]
    [InlineData("SELEC Id FROM User", "MALFORMED_QUERY", 1, "unexpected token: 'SELEC'")]
    [InlineData("SELECT Id FROM User WHERE Id LIKE '005%'", "MALFORMED_QUERY", 30, "unexpected token: 'LIKE'")]
    [InlineData("SELECT Id FROM User ORDER BY Id", "MALFORMED_QUERY", 21, "unexpected token: 'ORDER'")]
    [InlineData("SELECT Id FROM User LIMIT -1", "MALFORMED_QUERY", 27, "unexpected token: '-'")]
    [InlineData("SELECT Id, Id FROM User", "MALFORMED_QUERY", 12, "duplicate field selected: Id")]
    [InlineData("SELECT Id FROM Account", "INVALID_TYPE", 16, "sObject type 'Account' is not supported.")]
    [InlineData("SELECT Id, Salary__c FROM User", "INVALID_FIELD", 12, "No such column 'Salary__c' on entity 'User'.")]
    [InlineData("SELECT Id FROM User WHERE Nickname = 'x'", "INVALID_FIELD", 27, "No such column 'Nickname' on entity 'User'.")]
    [InlineData("SELECT Id FROM User WHERE IsActive = 'true'", "INVALID_FIELD", 27, "value of filter criterion for field 'IsActive' must be of type boolean")]
    [InlineData("SELECT Id FROM User WHERE Id = 'nope'", "INVALID_QUERY_FILTER_OPERATOR", 27, "invalid ID field: nope")]
    public async Task QueriesOutsideTheSubsetGetSalesforcesErrorWithThePosition(string soql, string errorCode, int column, string reason)
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var body = await QueryAsync(client, soql, HttpStatusCode.BadRequest);

        var error = Assert.Single(body.EnumerateArray());
        Assert.Equal(["errorCode", "message"], Salesforce.Names(error));
        Assert.Equal(errorCode, error.GetProperty("errorCode").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.StartsWith($"\n{soql}\n{new string(' ', column - 1)}^\nERROR at Row:1:Column:{column}\n{reason}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingQueryIsMalformed()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var response = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, "/services/data/v65.0/query/", token));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("[{\"message\":\"A query string has to be specified\",\"errorCode\":\"MALFORMED_QUERY\"}]", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task QueryWithoutAValidSessionIs401InvalidSessionId()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, "/services/data/v65.0/query?q=SELECT+Id+FROM+User", "00D5g000004ABCD!AQbogus"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/services/data/v65.0/nothing-here")]
    [InlineData("GET", "/services/data/v65.0/sobjects/Account/001000000000001")]
    [InlineData("GET", "/services/data/v19.0/")]
    [InlineData("GET", "/services/data/v65.0/query/01gRO0000016PIAYA2-500")]
    [InlineData("POST", "/services/data/v65.0/")]
    [InlineData("DELETE", "/services/data/v65.0/sobjects/User/0055g00000DEMOUAA5")]
    public async Task AnyOtherDataPathIs404NotFoundInSalesforcesErrorArray(string method, string path)
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var response = await client.SendAsync(Salesforce.Bearer(new HttpMethod(method), path, token));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownDataPathWithoutASessionIs401NotAnEmpty404()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/services/data/v65.0/nothing-here");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ResourceMapListsTheQueryResource()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var response = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, "/services/data/v65.0", token));

        Assert.Equal("/services/data/v65.0/query", (await Salesforce.JsonAsync(response)).GetProperty("query").GetString());
    }

    private static async Task<JsonElement> QueryAsync(HttpClient client, string soql, HttpStatusCode expected)
    {
        var token = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var response = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, $"/services/data/v65.0/query?q={Uri.EscapeDataString(soql)}", token));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await Salesforce.JsonAsync(response);
    }
}
