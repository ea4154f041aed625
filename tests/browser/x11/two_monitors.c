/* Defines RandR 1.5 monitors on an Xvfb screen for the multi-monitor tests and keeps them
 * while it runs: the X server drops a client's monitors when that client disconnects.
 *
 * usage: two_monitors DISPLAY WIDTHxHEIGHT+X+Y [WIDTHxHEIGHT+X+Y ...]
 * Prints "ready" once the monitors exist, then waits until stdin closes (or a signal).
 */
#include <X11/Xlib.h>
#include <X11/extensions/Xrandr.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s DISPLAY WxH+X+Y ...\n", argv[0]);
        return 2;
    }
    Display* d = XOpenDisplay(argv[1]);
    if (!d) {
        fprintf(stderr, "cannot open display %s\n", argv[1]);
        return 1;
    }
    Window root = DefaultRootWindow(d);
    for (int i = 2; i < argc; ++i) {
        int w, h, x, y;
        if (sscanf(argv[i], "%dx%d+%d+%d", &w, &h, &x, &y) != 4 || w <= 0 || h <= 0) {
            fprintf(stderr, "bad geometry %s\n", argv[i]);
            return 2;
        }
        char name[32];
        snprintf(name, sizeof name, "GURU-TEST-%d", i - 1);
        XRRMonitorInfo* m = XRRAllocateMonitor(d, 0);
        m->name = XInternAtom(d, name, False);
        m->primary = i == 2;
        m->x = x;
        m->y = y;
        m->width = w;
        m->height = h;
        m->mwidth = w / 4;
        m->mheight = h / 4;
        XRRSetMonitor(d, root, m);
        XRRFreeMonitors(m);
    }
    XSync(d, False);
    puts("ready");
    fflush(stdout);
    char buf[64];
    while (read(0, buf, sizeof buf) > 0) {
    }
    XCloseDisplay(d);
    return 0;
}
