// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: the command line. Options, then the order of things: read and
 * check the image (before touching /dev/tinyvmx, so that a bad image is
 * refused anywhere), create the VM, load, run, report.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmrun.h"

#ifndef VMRUN_VERSION
#define VMRUN_VERSION "unknown"
#endif

static const char usage_text[] =
"usage: vmrun [OPTIONS] IMAGE\n"
"       vmrun [OPTIONS] --kernel BZIMAGE [--initrd FILE] [--append TEXT]\n"
"       vmrun [OPTIONS] --firmware FILE [IMAGE]\n"
"\n"
"Run IMAGE as a guest on /dev/tinyvmx. The guest's serial port (a 16550 at\n"
"0x3f8) and port 0xe9 print to stdout; stdin, when a terminal or a pipe, is\n"
"the serial port's input. A write of v to port 0xf4 ends the run with exit\n"
"status (v << 1) | 1. Ctrl-C stops the guest. Messages go to stderr.\n"
"\n"
"Loading:\n"
"  -f, --format FMT          auto (default), flat, elf, multiboot or linux\n"
"                              vmrun --format flat boot.img\n"
"  -m, --memory SIZE         guest RAM, suffix K, M or G; 1M to 3G (default 128M)\n"
"                              vmrun --memory 512M kernel.elf\n"
"  -l, --load-address ADDR   where a flat binary goes (default 0x7c00 in real\n"
"                            mode, 0x100000 in protected and long mode)\n"
"                              vmrun --load-address 0x1000 code.bin\n"
"  -e, --entry ADDR|SEG:OFF  where the guest starts (default: the load address,\n"
"                            or the ELF entry point); SEG:OFF is hex, real mode\n"
"                              vmrun --entry 07c0:0000 boot.bin\n"
"  -M, --mode MODE           real, protected or long (default: real for a flat\n"
"                            binary; protected for ELF32 and multiboot; long\n"
"                            for ELF64 and Linux)\n"
"                              vmrun --mode long code64.bin\n"
"  -k, --kernel FILE         a Linux bzImage to boot (one given as IMAGE is\n"
"                            detected too): its 64-bit entry point, or its\n"
"                            32-bit one with --mode protected\n"
"                              vmrun --kernel vmlinuz --append console=ttyS0\n"
"  -i, --initrd FILE         the Linux kernel's initial ramdisk\n"
"                              vmrun --kernel vmlinuz --initrd initrd.img\n"
"  -a, --append TEXT         the kernel's command line (Linux; a multiboot\n"
"  -c, --cmdline TEXT        kernel gets it after its own name)\n"
"                              vmrun --cmdline 'console=ttyS0 debug' kernel.elf\n"
"      --module FILE[,ARGS]  load FILE as a multiboot module with command line\n"
"                            ARGS (repeatable, in order)\n"
"                              vmrun --module initrd.img,root=ram kernel.elf\n"
"  -F, --firmware FILE       firmware ending at 4 GiB, its last 128 KiB also\n"
"                            below 1 MiB, started at the reset vector; a flat\n"
"                            IMAGE goes to the load address for it to find\n"
"                              vmrun --firmware bios.bin boot.img\n"
"Running:\n"
"  -t, --timeout SECONDS     stop the guest after SECONDS (status 124)\n"
"                              vmrun --timeout 2.5 test.elf\n"
"      --strict              stop at the first port or address that nothing\n"
"                            emulates (status 12) instead of ignoring it\n"
"                              vmrun --strict kernel.elf\n"
"Reporting (on stderr):\n"
"  -T, --trace               one line per exit: reason, RIP, decoded\n"
"                            qualification (port, size, direction, string, rep)\n"
"                              vmrun --trace hello.bin 2>trace.txt\n"
"  -s, --stats               at the end, VM exits counted by VMX exit reason\n"
"                              vmrun --stats hello.bin\n"
"  -r, --regs                at the end, dump the registers\n"
"                              vmrun --regs hello.bin\n"
"  -v, --verbose             say how the image is loaded; name each unclaimed\n"
"                            port once\n"
"                              vmrun --verbose hello.bin\n"
"  -h, --help                this text                  vmrun --help\n"
"  -V, --version             vmrun's and the module's   vmrun --version\n"
"\n"
"Exit status:\n"
"  0    the guest halted with interrupts disabled\n"
"  odd  (v << 1) | 1: the guest wrote v to the debug-exit port 0xf4\n"
"  2    bad command line\n"
"  4    image, initrd or module unreadable or refused (truncated, overlapping,\n"
"       too large, malformed, an old Linux boot protocol)\n"
"  6    host-side error (/dev/tinyvmx missing, an ioctl failed)\n"
"  8    triple fault (the registers are dumped)\n"
"  10   VM entry failed (the reason by name, the registers are dumped)\n"
"  12   the guest did what vmrun cannot emulate (an unexpected exit, --strict)\n"
"  14   HLT with interrupts enabled: nothing could wake the guest yet\n"
"  124  --timeout expired\n"
"  130  stopped by Ctrl-C, SIGTERM or SIGHUP\n"
"\n"
"See vmrun(1).\n";

enum { OPT_MODULE = 256, OPT_STRICT };

static const struct option long_opts[] = {
	{ "format",	  required_argument, NULL, 'f' },
	{ "memory",	  required_argument, NULL, 'm' },
	{ "load-address", required_argument, NULL, 'l' },
	{ "entry",	  required_argument, NULL, 'e' },
	{ "mode",	  required_argument, NULL, 'M' },
	{ "cmdline",	  required_argument, NULL, 'c' },
	{ "append",	  required_argument, NULL, 'a' },
	{ "kernel",	  required_argument, NULL, 'k' },
	{ "initrd",	  required_argument, NULL, 'i' },
	{ "module",	  required_argument, NULL, OPT_MODULE },
	{ "firmware",	  required_argument, NULL, 'F' },
	{ "timeout",	  required_argument, NULL, 't' },
	{ "strict",	  no_argument,	     NULL, OPT_STRICT },
	{ "trace",	  no_argument,	     NULL, 'T' },
	{ "stats",	  no_argument,	     NULL, 's' },
	{ "regs",	  no_argument,	     NULL, 'r' },
	{ "verbose",	  no_argument,	     NULL, 'v' },
	{ "help",	  no_argument,	     NULL, 'h' },
	{ "version",	  no_argument,	     NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static struct vmrun vr = { .dev_fd = -1 };
static struct load_opts lo;
static struct load_plan plan;
static struct image image, firmware, initrd;
static const char *module_spec[LOAD_MAX_MODULES];

__attribute__((noreturn, format(printf, 1, 2)))
static void usage_error(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "vmrun: %s; see vmrun --help\n", buf);
	exit(VMRUN_USAGE);
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	*v = strtoull(s, &end, 0);
	return !*end;
}

static uint64_t parse_size(const char *s)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	v = *s == '-' ? 0 : strtoull(s, &end, 0);
	if (*s == '-' || end == s)
		usage_error("--memory %s: not a size", s);
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case '\0': break;
	default: usage_error("--memory %s: not a size (use K, M or G)", s);
	}
	if (*end == 'i' && end[1] == 'B')
		end += 2;
	if (*end || v > VMRUN_MEM_MAX >> shift)
		usage_error("--memory %s: not a size of at most 3G", s);
	v <<= shift;
	if (v < VMRUN_MEM_MIN || v & 4095)
		usage_error("--memory %s: at least 1M and a multiple of 4K, please", s);
	return v;
}

static void parse_entry(const char *s)
{
	unsigned long seg, off;
	char *end;

	lo.entry_set = true;
	if (strchr(s, ':')) {
		seg = strtoul(s, &end, 16);
		if (*end != ':' || end == s || seg > 0xffff)
			usage_error("--entry %s: not SEG:OFF (hex, each up to ffff)", s);
		off = strtoul(end + 1, &end, 16);
		if (*end || off > 0xffff)
			usage_error("--entry %s: not SEG:OFF (hex, each up to ffff)", s);
		lo.entry_segmented = true;
		lo.entry_cs = seg;
		lo.entry_ip = off;
		return;
	}
	if (!parse_u64(s, &lo.entry))
		usage_error("--entry %s: not an address", s);
}

static enum boot_mode parse_mode(const char *s)
{
	if (!strcmp(s, "real") || !strcmp(s, "16"))
		return MODE_REAL;
	if (!strcmp(s, "protected") || !strcmp(s, "32"))
		return MODE_PROT;
	if (!strcmp(s, "long") || !strcmp(s, "64"))
		return MODE_LONG;
	usage_error("--mode %s: use real, protected or long", s);
}

static enum load_format parse_format(const char *s)
{
	if (!strcmp(s, "auto"))
		return FMT_AUTO;
	if (!strcmp(s, "flat"))
		return FMT_FLAT;
	if (!strcmp(s, "elf"))
		return FMT_ELF;
	if (!strcmp(s, "multiboot"))
		return FMT_MULTIBOOT;
	if (!strcmp(s, "linux"))
		return FMT_LINUX;
	usage_error("--format %s: use auto, flat, elf, multiboot or linux", s);
}

/*
 * --version: vmrun's own, then the loaded module's (opening the device
 * loads the module on demand where it is installed).
 */
static void print_version(void)
{
	int fd, api, code;

	printf("vmrun %s\n", VMRUN_VERSION);
	fd = tvm_open_dev();
	if (fd < 0) {
		printf("tinyvmx.ko: %s\n", tvm_strerror());
		return;
	}
	api = tvm_api_version(fd);
	code = tvm_check_cap(fd, TINYVMX_CAP_MODULE_VERSION);
	if (code > 0)
		printf("tinyvmx.ko %d.%d.%d, API version %d\n",
		       code >> 16, (code >> 8) & 0xff, code & 0xff, api);
	else
		printf("tinyvmx.ko (it does not report its version), API version %d\n", api);
	close(fd);
}

static void parse_options(int argc, char **argv, const char **image_path,
			  const char **fw_path, const char **initrd_path)
{
	const char *kernel_path = NULL;
	bool format_set = false;
	char *end;
	int c;

	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, ":f:m:l:e:M:c:a:k:i:F:t:TsrvhV",
				long_opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			lo.format = parse_format(optarg);
			format_set = true;
			break;
		case 'm': lo.mem_size = parse_size(optarg); break;
		case 'l':
			if (!parse_u64(optarg, &lo.load_addr))
				usage_error("--load-address %s: not an address", optarg);
			lo.load_set = true;
			break;
		case 'e': parse_entry(optarg); break;
		case 'M': lo.mode = parse_mode(optarg); break;
		case 'c': case 'a': lo.cmdline = optarg; break;
		case 'k': kernel_path = optarg; break;
		case 'i': *initrd_path = optarg; break;
		case OPT_MODULE:
			if (lo.nr_modules >= LOAD_MAX_MODULES)
				usage_error("--module: at most %d modules", LOAD_MAX_MODULES);
			module_spec[lo.nr_modules++] = optarg;
			break;
		case 'F': *fw_path = optarg; break;
		case 't':
			vr.opts.timeout = strtod(optarg, &end);
			if (*end || end == optarg || !(vr.opts.timeout > 0) ||
			    vr.opts.timeout > 1e8)
				usage_error("--timeout %s: not a number of seconds above 0", optarg);
			break;
		case OPT_STRICT: vr.opts.strict = true; break;
		case 'T': vr.opts.trace = true; break;
		case 's': vr.opts.stats = true; break;
		case 'r': vr.opts.regs = true; break;
		case 'v': vr.opts.verbose = true; break;
		case 'h': fputs(usage_text, stdout); exit(0);
		case 'V': print_version(); exit(0);
		case ':': usage_error("%s needs an argument", argv[optind - 1]);
		default:
			if (optopt)
				usage_error("unknown option -%c", optopt);
			usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		*image_path = argv[optind++];
	if (optind < argc)
		usage_error("one image, please (got '%s' too)", argv[optind]);
	if (kernel_path) {
		if (*image_path)
			usage_error("one image, please: --kernel %s and %s", kernel_path,
				    *image_path);
		if (format_set && lo.format != FMT_LINUX)
			usage_error("--kernel is a Linux bzImage; --format does not apply");
		*image_path = kernel_path;
		lo.format = FMT_LINUX;
	}
	if (!*image_path && !*fw_path)
		usage_error("no image to run");
}

/* Read IMAGE, the firmware, the initrd and the modules; exit 4 on failure. */
static void read_files(const char *image_path, const char *fw_path,
		       const char *initrd_path)
{
	char err[320], *comma;
	unsigned int i;

	if (fw_path && image__read(&firmware, fw_path, err, sizeof(err)))
		goto fail;
	if (image_path && image__read(&image, image_path, err, sizeof(err)))
		goto fail;
	lo.firmware = fw_path ? &firmware : NULL;
	if (initrd_path && image__read(&initrd, initrd_path, err, sizeof(err)))
		goto fail;
	lo.initrd = initrd_path ? &initrd : NULL;
	for (i = 0; i < lo.nr_modules; i++) {
		comma = strchr(module_spec[i], ',');
		if (comma) {
			*comma = '\0';
			lo.modules[i].args = comma + 1;
		}
		if (image__read(&lo.modules[i].img, module_spec[i], err, sizeof(err)))
			goto fail;
	}
	return;
fail:
	fprintf(stderr, "vmrun: %s\n", err);
	exit(VMRUN_BAD_IMAGE);
}

static void describe(const struct image *img)
{
	const struct boot *b = &plan.boot;
	const struct load_seg *s;
	unsigned int i;

	if (b->mode == MODE_REAL)
		vmrun__msg("%s: %s, real mode at %04x:%04x, %llu MiB of RAM",
			   img->name, b->format, b->cs, b->ip,
			   (unsigned long long)(lo.mem_size / MiB));
	else if (b->mode == MODE_RESET)
		vmrun__msg("%s: %s, started at the reset vector, %llu MiB of RAM",
			   lo.firmware->name, b->format,
			   (unsigned long long)(lo.mem_size / MiB));
	else
		vmrun__msg("%s: %s, %s mode at %#llx, %llu MiB of RAM", img->name,
			   b->format, b->mode == MODE_LONG ? "long" : "protected",
			   (unsigned long long)b->entry,
			   (unsigned long long)(lo.mem_size / MiB));
	for (i = 0; i < plan.nr_seg; i++) {
		s = &plan.seg[i];
		vmrun__msg("  %s: %#llx-%#llx (%#llx bytes from the file)", s->what,
			   (unsigned long long)s->gpa,
			   (unsigned long long)(s->gpa + s->memsz - 1),
			   (unsigned long long)s->filesz);
	}
}

static void finish(void)
{
	if (vr.end_msg[0])
		vmrun__msg("%s", vr.end_msg);
	if (vr.dump_regs || vr.opts.regs)
		trace__regs(&vr);
	if (vr.opts.stats)
		trace__stats(&vr);
}

int main(int argc, char **argv)
{
	const char *image_path = NULL, *fw_path = NULL, *initrd_path = NULL;
	struct gmem layout;

	load_opts__init(&lo);
	parse_options(argc, argv, &image_path, &fw_path, &initrd_path);
	read_files(image_path, fw_path, initrd_path);
	vmrun__layout(&layout, &lo);
	if (load__plan(&plan, image_path ? &image : NULL, &lo, &layout)) {
		vmrun__msg("%s", plan.err);
		return VMRUN_BAD_IMAGE;
	}
	if (vr.opts.verbose)
		describe(image_path ? &image : lo.firmware);
	if (vm__create(&vr, &lo) || vm__boot(&vr, &plan)) {
		vm__destroy(&vr);
		return VMRUN_HOST_ERROR;
	}
	if (term__signals(vr.vcpu.run, vr.opts.timeout) || devices__init(&vr)) {
		vmrun__msg("cannot set up signals or devices");
		vm__destroy(&vr);
		return VMRUN_HOST_ERROR;
	}
	run__loop(&vr);
	devices__exit(&vr);
	finish();
	vm__destroy(&vr);
	return vr.status;
}
