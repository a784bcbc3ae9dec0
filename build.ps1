# Windows convenience wrapper: every verb runs hwgen with the remaining arguments.
#   ./build.ps1 doctor
#   ./build.ps1 verilog --config counter --out out/verilog/counter
#   ./build.ps1 sim tests/programs/hello.c --cosim
#   ./build.ps1 demo
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [ValidateSet('doctor', 'verilog', 'sim', 'bench', 'demo')]
    [string] $Verb,

    [Parameter(Position = 1, ValueFromRemainingArguments = $true)]
    [string[]] $Rest = @()
)

Set-Location $PSScriptRoot

switch ($Verb) {
    'doctor'  { dotnet run --project gen -- doctor @Rest }
    'verilog' { dotnet run --project gen -- verilog @Rest }
    'sim'     { dotnet run --project gen -- sim @Rest }
    'bench'   { dotnet run --project gen -- bench @Rest }
    'demo'    { dotnet run --project gen -- demo @Rest }
}
exit $LASTEXITCODE
