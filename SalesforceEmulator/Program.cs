using SalesforceEmulator;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSalesforceEmulator();

var app = builder.Build();

app.UseSalesforceEmulator();
app.MapDefaultEndpoints();
app.MapSalesforceEmulatorApis();

app.Run();
