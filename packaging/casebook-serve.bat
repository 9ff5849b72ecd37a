@echo off
rem 双击运行：在本文件所在的文件夹（放着 site.toml 的站点文件夹）里启动预览，并打开浏览器。
rem casebook.exe 放在同一个文件夹里，或者放在 PATH 上。关闭这个窗口即停止预览。
chcp 65001 >nul
cd /d "%~dp0"
if exist "%~dp0casebook.exe" (
  "%~dp0casebook.exe" serve --open
) else (
  casebook serve --open
)
pause
