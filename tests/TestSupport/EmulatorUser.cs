namespace SalesforceIdentity.Tests;

/// <summary>The emulator's default user (contract: "Emulator defaults").</summary>
public static class EmulatorUser
{
    public const string Username = "demo@example.com";
    public const string Password = "demo-password";
}
