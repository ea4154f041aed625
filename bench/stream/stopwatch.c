/* The stopwatch X client of bench/stream/run.py.
 *
 * A full-screen override-redirect window that shows the current CLOCK_REALTIME time as a
 * barcode, and a marker tile that flips on every ButtonPress/KeyPress it receives.
 *
 *   barcode: the 64x64 tile at (128,128): 8x8 blocks of 8 px, white = 1, bit i = row*8+col,
 *            MSB first: byte 0 = 0xA5 (sync), bytes 1..4 = realtime ms mod 2^32 (big-endian),
 *            byte 5 = tick counter mod 256, bytes 6..7 = CRC-16/CCITT-FALSE of bytes 0..5.
 *            It sits alone in one 64x64 tile of GuruConnect's tile grid, so it is never torn
 *            across tiles; a torn or blurred read fails the CRC and is not counted.
 *   marker:  the 64x64 tile at (256,128): black, flipped to white/black on each input event.
 *
 * Modes:
 *   idle    paints once, then only the marker changes on input;
 *   typing  the barcode and one more character of a text line change RATE times/s;
 *   motion  the barcode at RATE Hz plus a full-screen photo-like texture scrolling 4 px a tick
 *           (everything but the barcode/marker band changes every tick).
 *
 * Tick intervals are jittered by +-25% around 1/RATE (see the main loop).
 * The time in the barcode is read after XSync of everything else of the tick, right before
 * the barcode is drawn and synced, so it is at most ~1 ms before the pixels are in the
 * framebuffer.
 *
 * Log (argv[3]): "event <realtime ms> <marker state>" per input event, and at exit one
 * "summary ticks=N late=N max_tick_ms=X" line.
 *
 * usage: stopwatch DISPLAY MODE LOGFILE [RATE_HZ] [MAX_SECONDS]
 */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#define BAR_X 128
#define BAR_Y 128
#define MARK_X 256
#define MARK_Y 128
#define TILE 64
#define BLOCK 8
#define SCROLL_SPAN 256

static volatile sig_atomic_t stop_flag = 0;
static void on_signal(int sig) { (void)sig; stop_flag = 1; }

static double now_ms(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static uint16_t crc16(const uint8_t *p, int n) {
    uint16_t crc = 0xFFFF;
    for (int i = 0; i < n; ++i) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int b = 0; b < 8; ++b) crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
    return crc;
}

static void draw_barcode(Display *d, Window w, GC gc, unsigned seq) {
    XSync(d, False); /* everything else of this tick is in the framebuffer */
    uint64_t ms = (uint64_t)now_ms(CLOCK_REALTIME);
    uint8_t bytes[8];
    bytes[0] = 0xA5;
    bytes[1] = (uint8_t)(ms >> 24);
    bytes[2] = (uint8_t)(ms >> 16);
    bytes[3] = (uint8_t)(ms >> 8);
    bytes[4] = (uint8_t)ms;
    bytes[5] = (uint8_t)seq;
    uint16_t crc = crc16(bytes, 6);
    bytes[6] = (uint8_t)(crc >> 8);
    bytes[7] = (uint8_t)crc;
    XRectangle white[64], black[64];
    int nw = 0, nb = 0;
    for (int i = 0; i < 64; ++i) {
        int bit = (bytes[i / 8] >> (7 - i % 8)) & 1;
        XRectangle r = {(short)(BAR_X + (i % 8) * BLOCK), (short)(BAR_Y + (i / 8) * BLOCK), BLOCK, BLOCK};
        if (bit) white[nw++] = r; else black[nb++] = r;
    }
    XSetForeground(d, gc, 0xffffff);
    XFillRectangles(d, w, gc, white, nw);
    XSetForeground(d, gc, 0x000000);
    XFillRectangles(d, w, gc, black, nb);
    XSync(d, False);
}

static void draw_marker(Display *d, Window w, GC gc, int state) {
    XSetForeground(d, gc, state ? 0xffffff : 0x000000);
    XFillRectangle(d, w, gc, MARK_X, MARK_Y, TILE, TILE);
    XSync(d, False);
}

static void draw_desktop(Display *d, Window w, GC gc, int width, int height) {
    XSetForeground(d, gc, 0x3a6ea5);
    XFillRectangle(d, w, gc, 0, 0, width, height);
    XSetForeground(d, gc, 0xf3f4f6);
    XFillRectangle(d, w, gc, 96, 96, 288, 128);          /* a panel behind barcode and marker */
    XSetForeground(d, gc, 0xffffff);
    XFillRectangle(d, w, gc, 480, 300, 960, 420);        /* an "editor" window */
    XSetForeground(d, gc, 0x1f2937);
    XFillRectangle(d, w, gc, 480, 270, 960, 30);
}

static Pixmap make_texture(Display *d, Window w, int s, int width, int height) {
    int tw = width + SCROLL_SPAN;
    Pixmap pm = XCreatePixmap(d, w, tw, height, DefaultDepth(d, s));
    char *pixels = malloc((size_t)tw * height * 4);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < tw; ++x) {
            unsigned char *p = (unsigned char *)pixels + ((size_t)y * tw + x) * 4;
            double t = sin(x * 0.013) * cos(y * 0.017) + 0.3 * sin((x + y) * 0.11);
            p[0] = (unsigned char)(128 + 97 * t / 1.3);
            p[1] = (unsigned char)(255.0 * y / height);
            p[2] = (unsigned char)(127 + 127 * sin(x * 2 * M_PI / SCROLL_SPAN)); /* period = span: seamless */
            p[3] = 0;
        }
    XImage *img = XCreateImage(d, DefaultVisual(d, s), 24, ZPixmap, 0, pixels, tw, height, 32, 0);
    GC gc = XCreateGC(d, pm, 0, NULL);
    XPutImage(d, pm, gc, img, 0, 0, 0, 0, tw, height);
    XFreeGC(d, gc);
    XDestroyImage(img);
    return pm;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: stopwatch DISPLAY idle|typing|motion LOGFILE [RATE_HZ] [MAX_SECONDS]\n");
        return 2;
    }
    const char *mode = argv[2];
    double rate = argc > 4 ? atof(argv[4]) : 60.0;
    double max_seconds = argc > 5 ? atof(argv[5]) : 120.0;
    if (rate <= 0) rate = 60.0;
    if (max_seconds <= 0 || max_seconds > 600) max_seconds = 120.0;
    int idle = strcmp(mode, "idle") == 0, typing = strcmp(mode, "typing") == 0, motion = strcmp(mode, "motion") == 0;
    if (!idle && !typing && !motion) return 2;
    FILE *log = fopen(argv[3], "w");
    if (!log) return 1;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    Display *d = XOpenDisplay(argv[1]);
    if (!d) return 1;
    int s = DefaultScreen(d);
    int width = DisplayWidth(d, s), height = DisplayHeight(d, s);
    XSetWindowAttributes a = {0};
    a.override_redirect = True;
    a.event_mask = ButtonPressMask | KeyPressMask | ExposureMask;
    Window win = XCreateWindow(d, RootWindow(d, s), 0, 0, width, height, 0, CopyFromParent, InputOutput,
                               CopyFromParent, CWOverrideRedirect | CWEventMask, &a);
    XMapRaised(d, win);
    XSetInputFocus(d, win, RevertToParent, CurrentTime);
    GC gc = XCreateGC(d, win, 0, NULL);
    Font font = XLoadFont(d, "fixed");
    XSetFont(d, gc, font);
    GC copy_gc = XCreateGC(d, win, 0, NULL);
    XRectangle outside[4] = {
        {0, 0, (unsigned short)width, BAR_Y},
        {0, BAR_Y + TILE, (unsigned short)width, (unsigned short)(height - BAR_Y - TILE)},
        {0, BAR_Y, BAR_X, TILE},
        {MARK_X + TILE, BAR_Y, (unsigned short)(width - MARK_X - TILE), TILE},
    };
    XSetClipRectangles(d, copy_gc, 0, 0, outside, 4, Unsorted);
    Pixmap texture = motion ? make_texture(d, win, s, width, height) : None;

    srand((unsigned)now_ms(CLOCK_REALTIME));
    int marker = 0;
    unsigned seq = 0;
    draw_desktop(d, win, gc, width, height);
    if (motion) XCopyArea(d, texture, win, copy_gc, 0, 0, width, height, 0, 0);
    draw_marker(d, win, gc, marker);
    draw_barcode(d, win, gc, seq++);

    const char *text = "The quick brown fox jumps over the lazy dog. Ticket resolved, status=OK. ";
    int text_len = (int)strlen(text), typed = 0, line = 0;
    double period = 1000.0 / rate;
    double start = now_ms(CLOCK_MONOTONIC), next = start + period;
    long ticks = 0, late = 0;
    double max_tick = 0;
    int fd = ConnectionNumber(d);
    while (!stop_flag && now_ms(CLOCK_MONOTONIC) - start < max_seconds * 1000.0) {
        /* Input first, at once: the marker is the input-to-photon probe. */
        while (XPending(d)) {
            XEvent ev;
            XNextEvent(d, &ev);
            if (ev.type == ButtonPress || ev.type == KeyPress) {
                double t = now_ms(CLOCK_REALTIME);
                marker = !marker;
                draw_marker(d, win, gc, marker);
                fprintf(log, "event %.3f %d\n", t, marker);
                fflush(log);
            }
        }
        double now = now_ms(CLOCK_MONOTONIC);
        if (!idle && now >= next) {
            double t0 = now;
            if (motion) {
                int off = (int)((ticks * 4) % SCROLL_SPAN);
                XCopyArea(d, texture, win, copy_gc, off, 0, width, height, 0, 0);
            } else {
                int col = typed % 120;
                if (col == 0 && typed) ++line;
                if (line >= 24) line = 0;
                if (col == 0) {
                    XSetForeground(d, gc, 0xffffff);
                    XFillRectangle(d, win, gc, 490, 310 + line * 16, 940, 16);
                }
                XSetForeground(d, gc, 0x111827);
                XDrawString(d, win, gc, 490 + col * 6, 322 + line * 16, &text[typed % text_len], 1);
                ++typed;
            }
            draw_barcode(d, win, gc, seq++);
            ++ticks;
            double spent = now_ms(CLOCK_MONOTONIC) - t0;
            if (spent > max_tick) max_tick = spent;
            /* Jittered +-25% (same mean rate): a period that is a multiple of the browser's
             * 16.7 ms frame would otherwise lock the paint phase against the once-per-frame
             * canvas read and add a constant, run-dependent offset to every latency. */
            next += period * (0.75 + 0.5 * (rand() / (double)RAND_MAX));
            now = now_ms(CLOCK_MONOTONIC);
            if (now > next) { /* fell behind: skip, do not burst */
                ++late;
                next = now + period;
            }
        }
        double wait = idle ? 50.0 : next - now_ms(CLOCK_MONOTONIC);
        if (wait < 0) wait = 0;
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(fd, &fds);
        struct timeval tv = {(long)(wait / 1000), (long)((wait - (long)(wait / 1000) * 1000) * 1000)};
        select(fd + 1, &fds, NULL, NULL, &tv);
    }
    fprintf(log, "summary ticks=%ld late=%ld max_tick_ms=%.2f seconds=%.2f\n", ticks, late, max_tick,
            (now_ms(CLOCK_MONOTONIC) - start) / 1000.0);
    fclose(log);
    if (texture) XFreePixmap(d, texture);
    XCloseDisplay(d);
    return 0;
}
