// What the end user does after the download starts, worded for their browser and
// operating system. Pure data (no DOM), so tests check it against real UA strings.

/**
 * instructionsFor({ browser, os }, { fileName, technician, companyName }) →
 * { download: { title, text }, run: { title, text, ways?, commandText?, command? }, allow: { title, text } }
 * `ways`: further paragraphs of the run step (Linux: the way without a terminal);
 * `commandText` introduces `command`, the terminal's way.
 */
export function instructionsFor(detected, { fileName, technician, companyName }) {
  const who = technician ? `${technician} from ${companyName}` : companyName;
  return {
    download: downloadStep(detected.browser, fileName),
    run: runStep(detected.os, fileName),
    allow: {
      title: 'Allow the session',
      text: `A window asks whether ${who} may see and control your screen. Click Allow. `
        + 'You can end the session at any time with the End button in the small GuruConnect window; '
        + 'the program removes itself when the session ends.',
    },
  };
}

function downloadStep(browser, fileName) {
  switch (browser) {
    case 'chrome':
      return {
        title: 'Open the download in Chrome',
        text: `Click the Downloads icon (the arrow) at the top right of the Chrome window, then click ${fileName}. `
          + 'If Chrome asks whether to keep the file, choose Keep.',
      };
    case 'edge':
      return {
        title: 'Open the download in Edge',
        text: `The Downloads panel opens at the top right of Edge. Click Open file under ${fileName}. `
          + 'If Edge says the file isn’t commonly downloaded, click the … menu, then Keep.',
      };
    case 'firefox':
      return {
        title: 'Open the download in Firefox',
        text: `Click the Downloads arrow in the Firefox toolbar (top right), then click ${fileName}.`,
      };
    case 'safari':
      return {
        title: 'Open the download in Safari',
        text: `Click the Downloads button (the arrow in a circle) in the Safari toolbar, then double-click ${fileName}.`,
      };
    default:
      return {
        title: 'Find the download',
        text: `Your browser saved ${fileName}, usually in your Downloads folder. Open your browser’s downloads list and click the file.`,
      };
  }
}

function runStep(os, fileName) {
  switch (os) {
    case 'windows':
      return {
        title: 'Run GuruConnect',
        text: 'Nothing is installed. If Windows shows “Windows protected your PC”, click More info, then Run anyway.',
      };
    case 'linux':
      // A browser never saves a download as a program, and no Linux desktop runs a file that
      // is not marked as one: no file can mark itself, and a .desktop launcher beside it needs
      // the same mark (and GNOME's "trusted" flag). So the page says so, and gives the file
      // manager's way before the terminal's.
      return {
        title: 'Mark it as a program, then run it',
        text: `Linux does not run a downloaded file until you mark it as a program, so double-clicking ${fileName} `
          + 'does nothing yet. Nothing is installed.',
        ways: [
          `Without a terminal: in your file manager, right-click ${fileName} and choose Properties. `
            + 'Turn on “Executable as Program” (GNOME Files), “Is executable” under Permissions (KDE Dolphin), '
            + 'or “Allow this file to run as a program” under Permissions (Xfce, and most others). '
            + `Close the window, then double-click ${fileName}. If it still does not start, use the terminal below.`,
        ],
        commandText: 'Or open a terminal in your Downloads folder and run:',
        command: `chmod +x ${fileName} && ./${fileName}`,
      };
    case 'chromeos':
      return {
        title: 'Make it executable and run it',
        text: 'Nothing is installed. Open a terminal in your Downloads folder and run:',
        command: `chmod +x ${fileName} && ./${fileName}`,
      };
    case 'mac':
      return {
        title: 'Run GuruConnect',
        text: 'Nothing is installed. If macOS says the developer cannot be verified, Control-click the file, choose Open, then Open again.',
      };
    default:
      return {
        title: 'Run GuruConnect',
        text: `Open ${fileName}. Nothing is installed; the program runs only for this session.`,
      };
  }
}
