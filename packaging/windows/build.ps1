# Build the Windows installer:   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1 [-OutDir dist-windows]
#
# Needs: Python 3.11 (x64, the `py` launcher), Inno Setup 6 (ISCC.exe on PATH or in its default
# folder). Uses the project venv .venv (created here if missing, with the dev extras, which pin
# PyInstaller). Steps: icons (SVG -> ICO with Qt), PyInstaller one-folder build with the same
# spec as Linux (hindsight.exe for the console, hindsightw.exe for the Start menu), the installed
# app's self-test, then Inno Setup. UNTESTED: written on Linux, never run on Windows.
param([string]$OutDir = "dist-windows")
$ErrorActionPreference = "Stop"

$Root = (Resolve-Path "$PSScriptRoot\..\..").Path
$Venv = Join-Path $Root ".venv"
$Python = Join-Path $Venv "Scripts\python.exe"
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
$OutDir = (Resolve-Path $OutDir).Path
$Work = Join-Path $OutDir ".win-work"

if (-not (Test-Path (Join-Path $Venv "Scripts\pyinstaller.exe"))) {
    py -3.11 -m venv $Venv
    & $Python -m pip install --upgrade pip
    & $Python -m pip install -e "$Root[dev]"
    if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
}
$Version = & $Python -c "import tomllib,sys; print(tomllib.load(open(sys.argv[1],'rb'))['project']['version'])" "$Root\pyproject.toml"
Write-Host "Hindsight $Version for Windows"

if (Test-Path $Work) { Remove-Item -Recurse -Force $Work }
& $Python "$Root\packaging\render_icon.py" "$Work\icons" --ico
if ($LASTEXITCODE -ne 0) { throw "icon rendering failed" }

$env:HINDSIGHT_ICON_DIR = "$Work\icons"
Push-Location $Root
try {
    & (Join-Path $Venv "Scripts\pyinstaller.exe") --noconfirm --log-level WARN `
        --distpath "$Work\dist" --workpath "$Work\pyinstaller" packaging\hindsight.spec
    if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
} finally { Pop-Location }

$Bundle = "$Work\dist\hindsight"
$env:QT_QPA_PLATFORM = "offscreen"
& "$Bundle\hindsight.exe" --self-test
if ($LASTEXITCODE -ne 0) { throw "the bundled app's self-test failed" }
Remove-Item Env:\QT_QPA_PLATFORM

$Iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $Iscc) { $Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $Iscc)) { throw "Inno Setup 6 (ISCC.exe) not found" }
& $Iscc "/DAppVersion=$Version" "/DSourceDir=$Bundle" "/DIconFile=$Work\icons\hindsight.ico" `
    "/O$OutDir" "$Root\packaging\windows\hindsight.iss"
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "built $OutDir\hindsight-$Version-setup.exe"
