# Pagekeeper's Windows installer: per user (no administrator prompt), into
# %LocalAppData%\Programs\Pagekeeper. scripts/release.sh builds it:
#
#   makensis -XTarget amd64-unicode -DVERSION=1.2.3 -DBINDIR=/abs/build/bin \
#            -DOUTFILE=/abs/out.exe build/windows/installer/project.nsi
#
# It installs the command line (pagekeeper.exe, a console program, on the
# user's PATH) and the window (pagekeeper-window.exe, on the Start menu).
# The uninstaller asks whether to also remove the Pagekeeper secrets from
# Windows Credential Manager and the data folder (`pagekeeper reset`); /PURGE
# says yes without asking (silent uninstalls: uninstall.exe /S /PURGE).
#
# The version comes from wails.json (scripts/version.sh), never from here.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "VERSION is not defined: run scripts/release.sh"
!endif
!ifndef BINDIR
  !error "BINDIR (the folder with pagekeeper.exe and pagekeeper-window.exe) is not defined"
!endif
!ifndef OUTFILE
  !define OUTFILE "pagekeeper-${VERSION}-windows-amd64-setup.exe"
!endif

!define PRODUCT "Pagekeeper"
!define CLI "pagekeeper.exe"
!define WINDOW "pagekeeper-window.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Pagekeeper"
!define WEBVIEW2_KEY "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "StrFunc.nsh"
!include "WinMessages.nsh"
${StrStr}
${UnStrRep}

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${PRODUCT}"
VIAddVersionKey "CompanyName" "Pagekeeper"
VIAddVersionKey "FileDescription" "${PRODUCT} Setup"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "Copyright (c) The Pagekeeper authors"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${WINDOW}"
!define MUI_FINISHPAGE_RUN_TEXT "Open Pagekeeper"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "Pagekeeper"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  # Every program scripts/release.sh staged (the list lives there).
  File "${BINDIR}\*.exe"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\${WINDOW}"

  # The command line on the user's PATH, so PowerShell finds `pagekeeper`.
  ReadRegStr $0 HKCU "Environment" "Path"
  ${StrStr} $1 "$0" "$INSTDIR"
  ${If} $1 == ""
    ${If} $0 == ""
      WriteRegExpandStr HKCU "Environment" "Path" "$INSTDIR"
    ${Else}
      WriteRegExpandStr HKCU "Environment" "Path" "$0;$INSTDIR"
    ${EndIf}
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=2000
  ${EndIf}

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "The Pagekeeper authors"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${WINDOW}"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0

  # WebView2 draws the window; Windows 11 and updated Windows 10 have it.
  # Without it the commands work and the window offers to install it.
  SetRegView 64
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_KEY}" "pv"
  ReadRegStr $1 HKCU "Software\${WEBVIEW2_KEY}" "pv"
  ${If} $0 == ""
  ${AndIf} $1 == ""
    MessageBox MB_OK|MB_ICONINFORMATION "Pagekeeper's window needs Microsoft Edge WebView2, which this computer does not have yet. Pagekeeper offers to install it the first time you open it (or get it from https://go.microsoft.com/fwlink/p/?LinkId=2124703). The pagekeeper command works without it." /SD IDOK
  ${EndIf}
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  # The window must not run while its files go; closing it is the owner's call.
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/PURGE" $R1
  ${If} ${Errors}
    MessageBox MB_YESNO|MB_ICONQUESTION "Also remove your Pagekeeper data? This deletes every Page token from Windows Credential Manager and the list of your Pages; you would connect them again after reinstalling." /SD IDNO IDNO keep
  ${EndIf}
  nsExec::ExecToLog '"$INSTDIR\${CLI}" reset --yes'
  Pop $0
  ${If} $0 != 0
    MessageBox MB_OK|MB_ICONEXCLAMATION "Pagekeeper's data could not all be removed (is the Pagekeeper window still open?). Run `pagekeeper reset` before uninstalling to remove it." /SD IDOK
  ${EndIf}
  keep:

  # Start at login points at the program about to go.
  DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "Pagekeeper"
  ReadRegStr $0 HKCU "Environment" "Path"
  ${UnStrRep} $1 "$0" ";$INSTDIR" ""
  ${UnStrRep} $1 "$1" "$INSTDIR;" ""
  ${UnStrRep} $1 "$1" "$INSTDIR" ""
  WriteRegExpandStr HKCU "Environment" "Path" "$1"
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=2000

  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$INSTDIR\*.exe"
  RMDir "$INSTDIR"
  # WebView2's cache for the window (Wails keeps it under the exe's name).
  RMDir /r "$APPDATA\${WINDOW}"
  DeleteRegKey HKCU "${UNINST_KEY}"
SectionEnd
