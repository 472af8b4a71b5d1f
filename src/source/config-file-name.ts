/** The config file a scan reads from the scan root, then the working directory (`.iac-vpce.yaml` is read too). */
export const CONFIG_FILE_NAME = '.iac-vpce.yml';
