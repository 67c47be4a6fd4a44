using AuthService;
using AuthService.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAuthService();

var app = builder.Build();

app.UseDeployedHostFilter();
app.UseExceptionHandler();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapApiDocumentation();
app.MapWelcomeApi();
app.MapOAuthApi();
app.MapValidationSettingsApi();

app.Run();
