using System.Text;

namespace AuthService.Tokens;

/// <summary>
/// The bytes of a cached validation in Redis (before the seal). A compact binary layout rather than JSON:
/// JSON with member names cost ~400 bytes a token (568 in Redis's own accounting), this ~130 (under 300 in
/// Redis), so a 25 MB Heroku Redis holds several times more live tokens. What the entry does not need to
/// carry is rebuilt on reading: the client id (an active answer is always our own app's) and the identity
/// URL when it sits on the configured login host.
/// </summary>
/// <remarks>
/// Layout: version (2), flags, cachedAt (Unix ms, 7-bit varint), lifetime (ms, varint); when active:
/// expiresAt (Unix s, varint), user id, org id, then the optional username, instance URL, scopes (a count, then a
/// byte each: its index among Salesforce's scopes, or 255 and the name) and identity-URL base, each flagged, strings
/// as length-prefixed UTF-8. An entry of another version reads as a miss, and is replaced.
/// </remarks>
public static class CacheEntryFormat
{
    private const byte Version = 2;

    /// <summary>
    /// Salesforce's scopes (salesforce-protocol.md §2), written as their index here: a token's scopes are most of
    /// what a cached validation would otherwise spend bytes on. Append only: the index is what Redis holds.
    /// </summary>
    private static readonly string[] KnownScopes =
    [
        "api", "id", "web", "full", "refresh_token", "offline_access", "openid", "profile", "email", "address", "phone",
        "chatter_api", "visualforce", "custom_permissions", "wave_api", "eclair_api", "lightning", "content",
        "pardot_api", "cdp_api", "cdp_query_api", "cdp_profile_api", "cdp_ingest_api", "cdp_segment_api",
        "cdp_identityresolution_api", "cdp_calculated_insight_api", "interaction_api", "sfap_api", "einstein_gpt_api",
        "chatbot_api", "forgot_password", "user_registration", "pwdless_login_api",
    ];

    /// <summary>Marks a scope not in <see cref="KnownScopes"/>, written out in full after it.</summary>
    private const byte OtherScope = byte.MaxValue;

    [Flags]
    private enum Fields : byte
    {
        None = 0,
        Active = 1,
        Username = 2,
        InstanceUrl = 4,
        Scope = 8,
        IdentityBase = 16,
    }

    public static byte[] Write(CachedValidation entry, Uri loginUrl)
    {
        var validation = entry.Validation;
        var identityBase = IdentityBase(validation, loginUrl);
        var fields = (validation.Active ? Fields.Active : Fields.None)
            | (validation.Username is null ? Fields.None : Fields.Username)
            | (validation.InstanceUrl is null ? Fields.None : Fields.InstanceUrl)
            | (validation.Scope is null ? Fields.None : Fields.Scope)
            | (identityBase is null ? Fields.None : Fields.IdentityBase);

        using var stream = new MemoryStream(160);
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write((byte)fields);
            writer.Write7BitEncodedInt64(entry.CachedAt);
            writer.Write7BitEncodedInt64(entry.CachedUntil - entry.CachedAt);
            if (validation.Active)
            {
                writer.Write7BitEncodedInt64(validation.ExpiresAt ?? 0);
                writer.Write(validation.UserId ?? "");
                writer.Write(validation.OrganizationId ?? "");
                WriteIf(writer, validation.Username);
                WriteIf(writer, validation.InstanceUrl);
                if (validation.Scope is not null)
                {
                    WriteScope(writer, validation.Scope);
                }

                WriteIf(writer, identityBase);
            }
        }

        return stream.ToArray();
    }

    /// <summary>The entry, or null when the bytes are not of this format.</summary>
    public static CachedValidation? Read(ReadOnlySpan<byte> bytes, Uri loginUrl, string clientId)
    {
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadByte() != Version)
            {
                return null;
            }

            var fields = (Fields)reader.ReadByte();
            var cachedAt = reader.Read7BitEncodedInt64();
            var cachedUntil = cachedAt + reader.Read7BitEncodedInt64();
            if (!fields.HasFlag(Fields.Active))
            {
                return new CachedValidation(TokenValidation.Inactive, cachedUntil, cachedAt);
            }

            var expiresAt = reader.Read7BitEncodedInt64();
            var userId = reader.ReadString();
            var organizationId = reader.ReadString();
            var username = fields.HasFlag(Fields.Username) ? reader.ReadString() : null;
            var instanceUrl = fields.HasFlag(Fields.InstanceUrl) ? reader.ReadString() : null;
            var scope = fields.HasFlag(Fields.Scope) ? ReadScope(reader) : null;
            var identityBase = fields.HasFlag(Fields.IdentityBase) ? reader.ReadString() : LoginBase(loginUrl);
            var validation = new TokenValidation(
                Active: true,
                Subject: $"{identityBase}/id/{organizationId}/{userId}",
                UserId: userId,
                OrganizationId: organizationId,
                Username: username,
                InstanceUrl: instanceUrl,
                Scope: scope,
                ClientId: clientId,
                ExpiresAt: expiresAt);
            return stream.Position == stream.Length ? new CachedValidation(validation, cachedUntil, cachedAt) : null;
        }
        catch (Exception ex) when (ex is EndOfStreamException or FormatException or IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// What precedes <c>/id/{org}/{user}</c> in the identity URL, when it is not the login URL (a My Domain login
    /// still has login.salesforce.com identity URLs); null when the login URL rebuilds it.
    /// </summary>
    private static string? IdentityBase(TokenValidation validation, Uri loginUrl)
    {
        var suffix = $"/id/{validation.OrganizationId}/{validation.UserId}";
        if (validation.Subject is not { } subject || !subject.EndsWith(suffix, StringComparison.Ordinal))
        {
            return validation.Subject is null ? null : "";
        }

        var identityBase = subject[..^suffix.Length];
        return identityBase == LoginBase(loginUrl) ? null : identityBase;
    }

    private static string LoginBase(Uri loginUrl) => loginUrl.ToString().TrimEnd('/');

    /// <summary>The scopes in their order, each as its index in <see cref="KnownScopes"/> or spelled out.</summary>
    private static void WriteScope(BinaryWriter writer, string scope)
    {
        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        writer.Write7BitEncodedInt(scopes.Length);
        foreach (var name in scopes)
        {
            var index = Array.IndexOf(KnownScopes, name);
            if (index >= 0)
            {
                writer.Write((byte)index);
            }
            else
            {
                writer.Write(OtherScope);
                writer.Write(name);
            }
        }
    }

    private static string ReadScope(BinaryReader reader)
    {
        var scopes = new string[reader.Read7BitEncodedInt()];
        for (var i = 0; i < scopes.Length; i++)
        {
            var code = reader.ReadByte();
            scopes[i] = code == OtherScope ? reader.ReadString()
                : code < KnownScopes.Length ? KnownScopes[code]
                : throw new FormatException("An unknown scope code.");
        }

        return string.Join(' ', scopes);
    }

    private static void WriteIf(BinaryWriter writer, string? value)
    {
        if (value is not null)
        {
            writer.Write(value);
        }
    }
}
