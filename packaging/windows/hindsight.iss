; Inno Setup 6 script for Hindsight on Windows (x64).
;
; Built by packaging\windows\build.ps1, which first runs PyInstaller with packaging\hindsight.spec
; and then:  ISCC.exe /DAppVersion=0.1.0 /DSourceDir=...\dist\hindsight /DIconFile=...\hindsight.ico
;            /O<outdir> packaging\windows\hindsight.iss
; Result: <outdir>\hindsight-<version>-setup.exe
;
; The user's archive lives in %LOCALAPPDATA%\hindsight (created from the bundled seeds on first
; run); installing, upgrading and uninstalling never touch it.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\hindsight"
#endif
#ifndef IconFile
  #define IconFile ""
#endif

[Setup]
; The AppId identifies the product across versions: never change it, or upgrades install a
; second copy instead of replacing the first.
AppId={{6D1F3A2B-7C4E-4B8A-9E51-3F2D8C0A4B17}
AppName=Hindsight
AppVersion={#AppVersion}
AppVerName=Hindsight {#AppVersion}
AppPublisher=Hindsight contributors
AppComments=Replay history to a point in time: what held as of a date, as known on another.
DefaultDirName={autopf}\Hindsight
DefaultGroupName=Hindsight
DisableProgramGroupPage=yes
; Per-user install by default (no administrator needed); the dialog offers all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=hindsight-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes
UninstallDisplayIcon={app}\hindsightw.exe
UninstallDisplayName=Hindsight {#AppVersion}
#if IconFile != ""
SetupIconFile={#IconFile}
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the hindsight command to PATH (for the command line)"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundle as a whole, so no file of an older version is left behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Hindsight"; Filename: "{app}\hindsightw.exe"; Parameters: "gui"; Comment: "Replay history to a point in time"
Name: "{autodesktop}\Hindsight"; Filename: "{app}\hindsightw.exe"; Parameters: "gui"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\hindsightw.exe"; Parameters: "gui"; Description: "{cm:LaunchProgram,Hindsight}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path) then
    Path := '';
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;
