/*
 * Strict EDF+/BDF+ check with EDFlib (Debian libedf-dev, the library behind EDFbrowser): opens a file with
 * edfopen_file_readonly, reads every sample of every signal and every annotation, and prints what EDFlib
 * saw as one JSON object on stdout. On an EDFlib error it prints {"error": <code>} and exits 1.
 * Built by the tests into a temporary folder: gcc edflib-dump.c -ledf -o edflib-dump
 */
#include <edflib.h>
#include <stdio.h>
#include <stdlib.h>

static void json_string(const char *s) {
  putchar('"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') printf("\\%c", *p);
    else if (*p < 0x20) printf("\\u%04x", *p);
    else putchar(*p);
  }
  putchar('"');
}

static void field(const char *name, const char *value, int comma) {
  printf("\"%s\":", name);
  json_string(value);
  if (comma) putchar(',');
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: edflib-dump FILE\n");
    return 2;
  }
  static struct edf_hdr_struct hdr;
  if (edfopen_file_readonly(argv[1], &hdr, EDFLIB_READ_ALL_ANNOTATIONS) < 0) {
    printf("{\"error\":%d}\n", hdr.filetype);
    return 1;
  }
  printf("{\"filetype\":%d,\"signalCount\":%d,", hdr.filetype, hdr.edfsignals);
  printf("\"start\":\"%04d-%02d-%02dT%02d:%02d:%02d\",\"startSubsecond\":%lld,", hdr.startdate_year,
         hdr.startdate_month, hdr.startdate_day, hdr.starttime_hour, hdr.starttime_minute,
         hdr.starttime_second, hdr.starttime_subsecond);
  printf("\"fileDuration\":%lld,\"recordDuration\":%lld,\"records\":%lld,", hdr.file_duration,
         hdr.datarecord_duration, hdr.datarecords_in_file);
  field("patientCode", hdr.patientcode, 1);
  field("sex", hdr.gender, 1);
  field("birthdate", hdr.birthdate, 1);
  field("patientName", hdr.patient_name, 1);
  field("patientAdditional", hdr.patient_additional, 1);
  field("admincode", hdr.admincode, 1);
  field("technician", hdr.technician, 1);
  field("equipment", hdr.equipment, 1);
  field("recordingAdditional", hdr.recording_additional, 1);
  printf("\"signals\":[");
  for (int i = 0; i < hdr.edfsignals; i++) {
    const struct edf_param_struct *s = &hdr.signalparam[i];
    long long n = s->smp_in_file;
    double *buf = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    if (buf == NULL) return 3;
    int got = edfread_physical_samples(hdr.handle, i, (int)n, buf);
    double sum = 0;
    for (int k = 0; k < got; k++) sum += buf[k];
    printf("%s{", i ? "," : "");
    field("label", s->label, 1);
    field("unit", s->physdimension, 1);
    field("transducer", s->transducer, 1);
    field("prefilter", s->prefilter, 1);
    printf("\"samplesInFile\":%lld,\"samplesPerRecord\":%d,\"physicalMin\":%.17g,\"physicalMax\":%.17g,", n,
           s->smp_in_datarecord, s->phys_min, s->phys_max);
    printf("\"digitalMin\":%d,\"digitalMax\":%d,\"read\":%d,\"first\":%.17g,\"last\":%.17g,\"sum\":%.17g}",
           s->dig_min, s->dig_max, got, got > 0 ? buf[0] : 0.0, got > 0 ? buf[got - 1] : 0.0, sum);
    free(buf);
  }
  printf("],\"annotations\":[");
  for (long long i = 0; i < hdr.annotations_in_file; i++) {
    struct edf_annotation_struct a;
    if (edf_get_annotation(hdr.handle, (int)i, &a) != 0) return 4;
    printf("%s{\"onset\":%lld,\"duration\":%lld,", i ? "," : "", a.onset, a.duration_l);
    field("text", a.annotation, 0);
    putchar('}');
  }
  printf("]}\n");
  edfclose_file(hdr.handle);
  return 0;
}
