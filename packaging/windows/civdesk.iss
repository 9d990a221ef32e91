; Inno Setup 6 script for CivDesk (文明创建工作台): a per-user installer without administrator rights.
;
;   python packaging\build.py --no-deb                          (makes dist\CivDesk\)
;   iscc /DAppVersion=0.1.0 packaging\windows\civdesk.iss       (makes dist\CivDesk-0.1.0-setup.exe)
;
; Saved as UTF-8 with a byte order mark, which Inno Setup 6 needs to read the Chinese text.
; Installs to %LOCALAPPDATA%\Programs\CivDesk (a path with Chinese characters works too); the data
; stay in %LOCALAPPDATA%\CivDesk (platformdirs), never in the program folder, and uninstalling
; leaves them there. Never create a "data" folder in {app}\_internal: that switches on portable mode.
;
; Chinese messages: Inno Setup 6 does not install ChineseSimplified.isl (it is one of the
; "unofficial" translations). The script takes it from the compiler's Languages folder when it is
; there, else from beside this script; the Windows workflow downloads it there from the Inno Setup
; source repository at a fixed commit (.github/workflows/windows.yml). It is not committed.
; Not compiled or run on these Linux machines: only the Windows workflow runs it.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "文明创建工作台"
#define AppExe "CivDesk.exe"
#define Bundle AddBackslash(SourcePath) + "..\..\dist\CivDesk"

#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: put it beside civdesk.iss or in the Inno Setup Languages folder (see the comment at the top).
#endif

#if !FileExists(Bundle + "\" + AppExe)
  #error dist\CivDesk\CivDesk.exe not found: run python packaging\build.py first.
#endif

[Setup]
; AppId identifies the installation for upgrades and uninstall: never change it.
AppId={{6F0C3B5E-2D7A-4C8B-9E51-3A7F2C9D4B10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=CivDesk
AppCopyright=CivDesk
VersionInfoVersion={#AppVersion}
VersionInfoCompany=CivDesk
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
; Per user, no administrator rights, no elevation prompt.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\CivDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=CivDesk-{#AppVersion}-setup
SetupIconFile=..\..\civdesk\resources\icons\civdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"

[CustomMessages]
chinesesimplified.DesktopIcon=在桌面上创建快捷方式
chinesesimplified.Shortcuts=快捷方式：
chinesesimplified.LaunchAfter=启动文明创建工作台
chinesesimplified.DataKept=程序已卸载。您的数据没有删除，仍保存在：%n%n%1%n%n如确实不再需要，可以手动删除这个文件夹。

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:Shortcuts}"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole library folder, so no file of an older version lingers in it.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchAfter}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program may leave in its own folder (Python byte code caches); never the user's data.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{localappdata}\CivDesk');
    if DirExists(DataDir) and not UninstallSilent() then
      MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
  end;
end;
