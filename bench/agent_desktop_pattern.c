/* Paints a desktop-like scene on an X display for bench/agent_footprint.sh: a UI half
 * (flat panels, lines of text in the core "fixed" font) and a photo-like half (smooth
 * gradients with texture), then stays mapped until killed or 120 s pass.
 * usage: agent_desktop_pattern DISPLAY */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    Display *d = XOpenDisplay(argc > 1 ? argv[1] : NULL);
    if (!d) return 1;
    int s = DefaultScreen(d);
    int w = DisplayWidth(d, s), h = DisplayHeight(d, s);
    XSetWindowAttributes a = {0};
    a.override_redirect = True;
    Window win = XCreateWindow(d, RootWindow(d, s), 0, 0, w, h, 0, CopyFromParent, InputOutput,
                               CopyFromParent, CWOverrideRedirect, &a);
    XMapRaised(d, win);
    XSync(d, False);
    GC gc = XCreateGC(d, win, 0, NULL);
    /* UI half: background, panels, text. */
    XSetForeground(d, gc, 0xf3f4f6);
    XFillRectangle(d, win, gc, 0, 0, w / 2, h);
    XSetForeground(d, gc, 0x1f2937);
    XFillRectangle(d, win, gc, 0, 0, w / 2, 40);
    XSetForeground(d, gc, 0xffffff);
    XFillRectangle(d, win, gc, 40, 80, w / 2 - 80, h - 160);
    XSetForeground(d, gc, 0x111827);
    char line[160];
    for (int y = 110, n = 0; y < h - 100; y += 16, ++n) {
        snprintf(line, sizeof line, "%04d  The quick brown fox jumps over the lazy dog; "
                 "ticket #%d resolved by technician, status=OK", n, 1000 + n * 7);
        XDrawString(d, win, gc, 60, y, line, (int)strlen(line));
    }
    /* Photo half: gradients with texture, sent as one XImage. */
    int pw = w - w / 2;
    char *pixels = malloc((size_t)pw * h * 4);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < pw; ++x) {
            unsigned char *p = (unsigned char *)pixels + ((size_t)y * pw + x) * 4;
            double t = sin(x * 0.013) * cos(y * 0.017) + 0.3 * sin((x + y) * 0.11);
            p[0] = (unsigned char)(128 + 97 * t / 1.3); /* |t| <= 1.3 */
            p[1] = (unsigned char)(255.0 * y / h);
            p[2] = (unsigned char)(255.0 * x / pw);
            p[3] = 0;
        }
    XImage *img = XCreateImage(d, DefaultVisual(d, s), 24, ZPixmap, 0, pixels, pw, h, 32, 0);
    XPutImage(d, win, gc, img, 0, 0, w / 2, 0, pw, h);
    XSync(d, False);
    XDestroyImage(img); /* frees pixels */
    for (int i = 0; i < 1200; ++i) usleep(100000); /* bounded: 120 s */
    XCloseDisplay(d);
    return 0;
}
