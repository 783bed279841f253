/** A `usage_model_hourly` key: UTC hour start, user, project ('' for none), model. */
export interface ModelHourKey {
  hour: Date;
  userName: string;
  project: string;
  model: string;
}
