#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl migrate against the real Bochs captures: the features it says
# one host offers and another lacks are exactly the vmx-* bits in which
# the nested MSRs that Debian's real kvm_intel returned on those hosts
# (MODEL.kvm_nested_msrs, captured beside each snapshot) differ, bit by
# bit; and each reason is checked against the inputs it names.

load helpers

MODELS="corei7_skylake_x corei7_haswell_4770 corei7_icelake_u tigerlake"

setup() {
	command -v vmcsctl > /dev/null
	vmcsctl migrate --features | tail -n +2 > "$BATS_TEST_TMPDIR/features"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/features")" -gt 80 ]
}

# The value of MSR $2 in the file $1 of "0xINDEX 0xVALUE" or
# "msr 0xINDEX 0xVALUE" lines (the first such line: CPU 0's section).
msr_of() {
	awk -v m="$2" '$1 == "msr" { $1 = $2; $2 = $3 }
		$1 == m { print $2; exit }' "$1"
}

# Whether value $1 offers a feature of kind $3 at bit $2 (QEMU's reading).
offers() {
	local v=$(($1)) b=$2
	if [ "$3" = control ]; then
		[ $(((v >> 32 >> b) & 1)) -eq 1 ] && [ $(((v >> b) & 1)) -eq 0 ]
	else
		[ $(((v >> b) & 1)) -eq 1 ]
	fi
}

# The features KVM's nested MSRs in file $1 offer, one name a line.
kvm_features() {
	local -A val
	local index v name sdm msr bit kind
	while read -r index v; do
		val[$index]=$v
	done < "$1"
	while read -r name sdm msr bit kind; do
		if offers "${val[$msr]:-0}" "$bit" "$kind"; then echo "$name"; fi
	done < "$BATS_TEST_TMPDIR/features"
}

@test "the vmx-* table: unique names, SDM names, nested MSRs only" {
	run vmcsctl migrate --features
	[ "$status" -eq 0 ]
	[ "$(tail -n +2 <<< "$output" | awk '{print $1}' | sort | uniq -d)" = "" ]
	[ "$(tail -n +2 <<< "$output" | awk '{print $3}' | sort -u | tr '\n' ' ')" = \
		"0x480 0x485 0x48b 0x48c 0x48d 0x48e 0x48f 0x490 0x491 " ]
	grep -qE '^vmx-rdseed-exit +RDSEED_EXITING +0x48b 16 +control$' <<< "$output"
	grep -qE '^vmx-posted-intr +POSTED_INTR +0x48d 7 +control$' <<< "$output"
	grep -qE '^vmx-invvpid +INVVPID +0x48c 32 +bit$' <<< "$output"
	grep -qE '^vmx-eptp-switching +EPTP_SWITCHING +0x491 0 +bit$' <<< "$output"
	! awk '$2 == "-"' <<< "$output" | grep -q .
}

@test "every pair of captures: exactly the bits KVM's nested MSRs differ in, with the CPU as reason" {
	local a b f line n=0 pairs=0
	for a in $MODELS; do
		kvm_features "$DATA/$a.kvm_nested_msrs" > "$BATS_TEST_TMPDIR/$a.have"
		[ "$(wc -l < "$BATS_TEST_TMPDIR/$a.have")" -gt 60 ]
	done
	for a in $MODELS; do
		for b in $MODELS; do
			[ "$a" != "$b" ] || continue
			run vmcsctl migrate "$DATA/$a.snapshot" "$DATA/$b.snapshot"
			# H1 offers and H2 lacks, per vmcsctl ...
			awk '$4 == "H1" && $5 == "H2" { print $1 }' <<< "$output" \
				| sort > "$BATS_TEST_TMPDIR/got"
			# ... and per the real KVM's nested MSRs.
			comm -23 <(sort "$BATS_TEST_TMPDIR/$a.have") \
				<(sort "$BATS_TEST_TMPDIR/$b.have") > "$BATS_TEST_TMPDIR/want"
			diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
			if [ -s "$BATS_TEST_TMPDIR/want" ]; then
				[ "$status" -eq 1 ]
				n=$((n + $(wc -l < "$BATS_TEST_TMPDIR/want")))
			fi
			# Same KVM, default parameters: only the CPU can be why,
			# and B's own MSR must lack the bit.
			while read -r f; do
				line=$(awk -v f="$f" '$1 == f && $5 == "H2"' <<< "$output")
				grep -q ' cpu: the CPU lacks it (MSR ' <<< "$line"
				set -- $(grep -E "^$f " "$BATS_TEST_TMPDIR/features")
				! offers "$(msr_of "$DATA/$b.snapshot" "$3")" "$4" "$5"
			done < "$BATS_TEST_TMPDIR/want"
			pairs=$((pairs + 1))
		done
	done
	[ "$pairs" -eq 12 ]
	# The captures do differ (Haswell lacks what Skylake-X has...).
	[ "$n" -gt 5 ]
}

@test "identical hosts: no difference, exit 0" {
	run vmcsctl migrate "$DATA/tigerlake.snapshot" "$DATA/tigerlake.snapshot,kvm=6.12"
	[ "$status" -eq 0 ]
	[[ "$output" == *"no differences"* ]]
}

@test "a kvm_intel parameter: named as the reason, and recomputing without it gives the feature back" {
	run vmcsctl migrate "$DATA/tigerlake.snapshot" "$DATA/tigerlake.snapshot,vpid=0,pml=0"
	[ "$status" -eq 1 ]
	grep -qE '^vmx-vpid +ENABLE_VPID +0x48b:5 +H1 +H2 +param: kvm_intel vpid=0 turns it off' <<< "$output"
	grep -qE '^vmx-invvpid +INVVPID +0x48c:32 +H1 +H2 +param: kvm_intel vpid=0 turns it off' <<< "$output"
	# pml=0 changes nothing a guest sees: not named.
	! grep -q 'pml=0' <<< "$output"
	# Every line is vpid's.
	[ "$(grep -c ' param: kvm_intel vpid=0 ' <<< "$output")" -eq \
		"$(sed -n 's/^\([0-9]*\) differences\{0,1\}$/\1/p' <<< "$output")" ]
}

@test "nested=0: the guest sees no nested VMX at all, every feature differs" {
	run vmcsctl migrate "$DATA/corei7_skylake_x.snapshot" "$DATA/corei7_skylake_x.snapshot,nested=0"
	[ "$status" -eq 1 ]
	grep -q '^H2 .*: kvm 6.12, cpu 0, 0 nested features$' <<< "$output"
	[ "$(grep -c 'param: kvm_intel nested=0 turns it off' <<< "$output")" -eq \
		"$(kvm_features "$DATA/corei7_skylake_x.kvm_nested_msrs" | wc -l)" ]
}

@test "--golden is the intersection of the hosts' KVM nested MSRs, and --baseline reads it back" {
	local m
	run vmcsctl migrate --golden "$DATA"/*.snapshot
	[ "$status" -eq 0 ]
	grep -v '^#' <<< "$output" | sort > "$BATS_TEST_TMPDIR/golden"
	kvm_features "$DATA/corei7_skylake_x.kvm_nested_msrs" | sort > "$BATS_TEST_TMPDIR/common"
	for m in $MODELS; do
		kvm_features "$DATA/$m.kvm_nested_msrs" | sort |
			comm -12 - "$BATS_TEST_TMPDIR/common" > "$BATS_TEST_TMPDIR/c2"
		mv "$BATS_TEST_TMPDIR/c2" "$BATS_TEST_TMPDIR/common"
	done
	diff -u "$BATS_TEST_TMPDIR/common" "$BATS_TEST_TMPDIR/golden"
	echo "$output" > "$BATS_TEST_TMPDIR/golden.txt"
	run vmcsctl migrate --baseline "$BATS_TEST_TMPDIR/golden.txt" "$DATA"/*.snapshot
	[ "$status" -eq 0 ]
	[[ "$output" == *"every host meets the baseline"* ]]
}

@test "--baseline: the hosts below it, with why, exit 1" {
	vmcsctl migrate --golden "$DATA/corei7_skylake_x.snapshot" > "$BATS_TEST_TMPDIR/sky"
	run vmcsctl migrate --baseline "$BATS_TEST_TMPDIR/sky" \
		"$DATA/corei7_skylake_x.snapshot" "$DATA/corei7_haswell_4770.snapshot" \
		"$DATA/corei7_skylake_x.snapshot,ept=0"
	[ "$status" -eq 1 ]
	grep -qE '^H2 +lacks vmx-rdseed-exit +cpu: the CPU lacks it' <<< "$output"
	grep -qE '^H3 +lacks vmx-ept +param: kvm_intel ept=0 turns it off' <<< "$output"
	! grep -q '^H1 ' <<< "$(grep lacks <<< "$output")"
	[[ "$output" == *"2 of 3 hosts below the baseline"* ]]
	# KVM never offers PAUSE-loop exiting to a guest, though the CPU
	# has it (nested_vmx_setup_secondary_ctls() never lists it).
	printf 'vmx-ple\n' > "$BATS_TEST_TMPDIR/ple"
	run vmcsctl migrate --baseline "$BATS_TEST_TMPDIR/ple" "$DATA/corei7_skylake_x.snapshot"
	[ "$status" -eq 1 ]
	grep -qE '^H1 +lacks vmx-ple +kvm: KVM 6.12 does not offer it on this CPU, which has it' <<< "$output"
}

@test "bad input: unknown feature in a baseline (file and line), bad HOST, usage" {
	printf 'vmx-ept\n# comment\nvmx-no-such\n' > "$BATS_TEST_TMPDIR/bad"
	run vmcsctl migrate --baseline "$BATS_TEST_TMPDIR/bad" "$DATA/tigerlake.snapshot"
	[ "$status" -eq 4 ]
	[[ "$output" == *"bad:3: unknown nested feature 'vmx-no-such'"* ]]
	run vmcsctl migrate "$DATA/tigerlake.snapshot,kvm=5.0" "$DATA/tigerlake.snapshot"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown KVM version '5.0'"* ]]
	run vmcsctl migrate "$DATA/tigerlake.snapshot,ept=2" "$DATA/tigerlake.snapshot"
	[ "$status" -eq 2 ]
	[[ "$output" == *"ept=2: bad value"* ]]
	run vmcsctl migrate "$DATA/tigerlake.snapshot"
	[ "$status" -eq 2 ]
	run vmcsctl migrate --golden --features
	[ "$status" -eq 2 ]
	run vmcsctl migrate "$FIX/malformed/truncated.snap" "$DATA/tigerlake.snapshot"
	[ "$status" -eq 4 ]
}
