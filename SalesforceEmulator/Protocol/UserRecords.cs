using System.Text.Json.Nodes;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Protocol;

/// <summary>
/// The emulator's users as <c>User</c> sObject records: the only sObject the query resource serves. Errors follow the REST API's
/// codes (developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm): an unknown sObject is
/// <c>INVALID_TYPE</c>, an unknown field <c>INVALID_FIELD</c>, a malformed Id in a filter <c>INVALID_QUERY_FILTER_OPERATOR</c>;
/// their messages are Salesforce's as widely reported [unverified: exact words].
/// </summary>
public static class UserRecords
{
    public const string SObjectName = "User";

    // Canonical field names, in the order a record lists them; a query may name them in any case.
    private static readonly string[] BooleanFields = ["IsActive"];
    private static readonly string[] Fields = ["Id", "Username", "FirstName", "LastName", "Name", "Email", "IsActive", "TimeZoneSidKey", "UserType"];

    /// <summary>Runs <paramref name="query"/> over <paramref name="users"/>: the records as Salesforce's query resource returns them, or its error.</summary>
    public static (JsonObject? Result, RestError? Error) Run(SoqlQuery query, IEnumerable<User> users, string version)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!string.Equals(query.SObject.Name, SObjectName, StringComparison.OrdinalIgnoreCase))
        {
            return (null, Soql.Error(query.Text, query.SObject.Column, "INVALID_TYPE",
                $"sObject type '{query.SObject.Name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."));
        }

        var selected = new List<string>();
        foreach (var field in query.Fields)
        {
            if (Canonical(field.Name) is not { } name)
            {
                return (null, NoSuchColumn(query, field));
            }

            if (selected.Contains(name))
            {
                return (null, Soql.Error(query.Text, field.Column, Soql.MalformedQuery, $"duplicate field selected: {name}"));
            }

            selected.Add(name);
        }

        var matching = users;
        if (query.WhereField is { } whereField)
        {
            if (Canonical(whereField.Name) is not { } name)
            {
                return (null, NoSuchColumn(query, whereField));
            }

            if (FilterError(query, whereField, name, query.WhereValue!) is { } error)
            {
                return (null, error);
            }

            matching = users.Where(user => Matches(user, name, query.WhereValue!));
        }

        var records = new JsonArray();
        foreach (var user in matching.OrderBy(u => u.Username, StringComparer.OrdinalIgnoreCase).Take(query.Limit ?? int.MaxValue))
        {
            var record = new JsonObject
            {
                ["attributes"] = new JsonObject { ["type"] = SObjectName, ["url"] = $"{EmulatorDefaults.DataPrefix}/{version}/sobjects/{SObjectName}/{user.Id18}" },
            };
            foreach (var name in selected)
            {
                record[name] = Value(user, name);
            }

            records.Add(record);
        }

        return (new JsonObject { ["totalSize"] = records.Count, ["done"] = true, ["records"] = records }, null);
    }

    private static string? Canonical(string name) => Fields.FirstOrDefault(f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase));

    private static RestError NoSuchColumn(SoqlQuery query, SoqlName field) => Soql.Error(query.Text, field.Column, "INVALID_FIELD",
        $"No such column '{field.Name}' on entity '{SObjectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");

    /// <summary>The error when the literal's type does not fit the field's, or an Id literal is not an id; null when it fits.</summary>
    private static RestError? FilterError(SoqlQuery query, SoqlName field, string name, SoqlLiteral value)
    {
        if (BooleanFields.Contains(name))
        {
            return value is { Quoted: false, Text: var b } && (b.Equals("true", StringComparison.OrdinalIgnoreCase) || b.Equals("false", StringComparison.OrdinalIgnoreCase))
                ? null
                : Soql.Error(query.Text, field.Column, "INVALID_FIELD", $"value of filter criterion for field '{name}' must be of type boolean and should not be enclosed in quotes");
        }

        if (!value.Quoted)
        {
            return Soql.Error(query.Text, field.Column, "INVALID_FIELD", $"value of filter criterion for field '{name}' must be of type string and should be enclosed in quotes");
        }

        return name == "Id" && !SalesforceId.IsValid(value.Text, "")
            ? Soql.Error(query.Text, field.Column, "INVALID_QUERY_FILTER_OPERATOR", $"invalid ID field: {value.Text}")
            : null;
    }

    private static bool Matches(User user, string name, SoqlLiteral value) => name switch
    {
        "Id" => SalesforceId.To18(value.Text) == user.Id18,
        "IsActive" => user.Active == value.Text.Equals("true", StringComparison.OrdinalIgnoreCase),
        // Text comparisons with '=' ignore case in SOQL.
        _ => string.Equals(Value(user, name)!.GetValue<string>(), value.Text, StringComparison.OrdinalIgnoreCase),
    };

    private static JsonNode? Value(User user, string name) => name switch
    {
        "Id" => user.Id18,
        "Username" => user.Username,
        "FirstName" => user.FirstName,
        "LastName" => user.LastName,
        "Name" => user.DisplayName,
        "Email" => user.Email,
        "IsActive" => user.Active,
        "TimeZoneSidKey" => user.TimeZone,
        _ => "Standard",
    };
}
