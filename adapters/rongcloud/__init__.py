"""RongCloud IM (Web/Electron, RongIMLib): contract, reference client, mutants."""
